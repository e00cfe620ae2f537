/** The figures of a need (PIL-03, PIL-04, PIL-05) as one line of text: `coût mensuel estimé 167,68 € · éléments non chiffrés 1`. */
import { formatNumber } from "@cloud-de-confiance/policies/dist/lib/cost/texts";
import { Lang, NeedFigure } from "../../checker/model";

export function figureText(f: NeedFigure, lang: Lang): string {
    const value = f.unit === "" ? String(f.value) : `${formatNumber(f.value, lang)}\u00a0${f.unit}`;
    return `${f.label} ${value}`;
}

export function figuresText(figures: readonly NeedFigure[] | undefined, lang: Lang): string {
    return (figures ?? []).map((f) => figureText(f, lang)).join(" · ");
}
