/** Languages of the pack: French first, English on request. */
export type Lang = "fr" | "en";
export const LANGS: readonly Lang[] = ["fr", "en"];

/** A text in both languages. Every user-facing string of a rule is one of these. */
export interface Text {
    fr: string;
    en: string;
}

export function txt(fr: string, en: string): Text {
    return { fr, en };
}

export function pick(text: Text, lang: Lang): string {
    return text[lang] || text.fr;
}
