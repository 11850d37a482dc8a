/** Thrown before any request when the receipt's check symbol fails (a typo). */
export class ReceiptTypoError extends Error {}
