-- Trigram search for the cadre directory ("nguyen van a" finds "Nguyễn Văn A").
CREATE EXTENSION IF NOT EXISTS pg_trgm;
