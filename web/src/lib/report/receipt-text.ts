// The receipt as a plain text file the reporter can keep.
import { m } from '$lib/paraglide/messages';

export function receiptText(receipt: string, publicRef: string, receivedOn: string | null, followUrl: string): string {
  return [
    m.rcpt_file_title(),
    '',
    `${m.rcpt_file_receipt()}: ${receipt}`,
    `${m.rcpt_file_ref()}: ${publicRef}`,
    ...(receivedOn ? [`${m.rcpt_file_day()}: ${receivedOn}`] : []),
    `${m.rcpt_file_follow()}: ${followUrl}`,
    '',
    m.rcpt_file_secret(),
    m.rcpt_file_lost(),
    '',
  ].join('\r\n');
}

export const receiptDataUrl = (text: string): string => `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
