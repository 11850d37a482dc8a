// The stages of sending a report, shared by the sender and the progress display (which
// must not pull in the crypto library before the reporter presses "send").
export const STAGES = ['verify', 'keys', 'encrypt', 'pow', 'send', 'upload', 'complete'] as const;
export type Stage = (typeof STAGES)[number];

export type FileProgress = { name: string; sent: number; total: number; done: boolean; retryInMs: number | null };

export type Progress = { stage: Stage; pow: number; files: FileProgress[] };
