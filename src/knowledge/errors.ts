/** A knowledge file (topic or lexicon) that cannot be read: the message names the file and why. */
export class KnowledgeFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`Kunskapsfilen ${file} är trasig: ${detail}`);
  }
}
