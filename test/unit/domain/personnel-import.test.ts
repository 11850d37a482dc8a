import { describe, expect, it } from 'vitest';
import { parseCadreCsv, parseCsvRecords } from '../../../server/domain/personnel.ts';

const KNOWN = new Set(['MA', 'MA-BM']);
const HEADER = 'full_name,position,unit_name,jurisdiction_code,level,managing_level,managing_jurisdiction_code';

describe('cadre CSV import', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and a BOM', () => {
    const { records } = parseCsvRecords('\ufeffa,"b, c","say ""hi"""\r\n"multi\nline",x,y\n\n');
    expect(records).toEqual([{ line: 1, fields: ['a', 'b, c', 'say "hi"'] }, { line: 2, fields: ['multi\nline', 'x', 'y'] }]);
  });

  it('accepts a valid file, columns in any order, is_public optional', () => {
    const csv = `${HEADER},is_public\nNguyễn Văn A,Giám đốc,"Sở Xây dựng, TP",MA,city,city,MA,không\nTrần B,Trưởng phòng,UBND quận,MA-BM,district,city,MA,\n`;
    const r = parseCadreCsv(csv, KNOWN);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.rows.map((x) => [x.line, x.fullName, x.unitName, x.isPublic])).toEqual([
        [2, 'Nguyễn Văn A', 'Sở Xây dựng, TP', false], [3, 'Trần B', 'UBND quận', true],
      ]);
    }
  });

  it('refuses the whole file and names the line and column of every bad row', () => {
    const csv = `${HEADER}\nA,P,U,MA,city,city,MA\nB,P,U,XX,city,mayor,MA\n,P,U,MA,city,city,MA\nC,P,U\n`;
    const r = parseCadreCsv(csv, KNOWN);
    expect(r).toEqual({ ok: false, problems: [
      { line: 3, column: 'managing_level', code: 'unknown_level' },
      { line: 3, column: 'jurisdiction_code', code: 'unknown_jurisdiction' },
      { line: 4, column: 'full_name', code: 'missing' },
      { line: 5, column: null, code: 'column_count' },
    ] });
  });

  it('refuses a header without the required columns, an empty file and an unterminated quote', () => {
    const header = parseCadreCsv('full_name,position\nA,B\n', KNOWN);
    expect(header.ok ? [] : header.problems.map((p) => `${p.line}:${p.code}:${p.column}`)).toEqual([
      '1:bad_header:unit_name', '1:bad_header:jurisdiction_code', '1:bad_header:level', '1:bad_header:managing_level', '1:bad_header:managing_jurisdiction_code',
    ]);
    expect(parseCadreCsv('', KNOWN)).toEqual({ ok: false, problems: [{ line: 1, column: null, code: 'empty_file' }] });
    expect(parseCadreCsv(`${HEADER}\n"A,P,U,MA,city,city,MA\n`, KNOWN)).toEqual({ ok: false, problems: [{ line: 2, column: null, code: 'unterminated_quote' }] });
  });
});
