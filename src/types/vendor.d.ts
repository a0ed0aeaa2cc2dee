// Type declarations for small packages that ship none.

declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  const snowball: { newStemmer(language: string): Stemmer; algorithms(): string[] };
  export default snowball;
}

declare module 'stopword' {
  export const swe: string[];
  export const eng: string[];
  export function removeStopwords(tokens: string[], stopwords?: string[]): string[];
}
