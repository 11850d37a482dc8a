/** The server refused an upload for good (not a dropped connection). */
export class UploadRejected extends Error {
  constructor(readonly cause: unknown) {
    super('upload rejected');
  }
}
