import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const root = { type: "pulumi:pulumi:Stack", name: "fixtures-test", props: {} };
const tags = (cc: string) => ["application=portail", "environnement=production", `centre-de-cout=${cc}`, "proprietaire=equipe-web"];

/** 0,10 €/h: an instance costs 73,00 € a month; a volume of 50 Go costs 2,50 €. */
const settings = {
    profil: "defaut",
    estimation: {
        gabarits: { "g2-4": { vcpu: 2, memoireGo: 4, prixHoraire: 0.1 } },
        typesVolume: { rapide: { prixGoMois: 0.05 } },
    },
};
const web = (name: string, cc = "CC-1") => ({ type: OS.instance, name, props: { flavorName: "g2-4", tags: tags(cc) } });
const volume = { type: OS.volume, name: "donnees", props: { size: 50, volumeType: "rapide", metadata: { "centre-de-cout": "CC-2" } } };

export default fixtures(
    {
        title: "sous le budget de la pile (75,50 € pour 100 €)",
        kind: "compliant",
        settings,
        config: { budgetMensuel: 100 },
        resources: [root, web("web"), volume],
        expect: { raises: [], notRaises: ["PIL-04"], violations: 0 },
    },
    {
        title: "exactement au budget de la pile (75,50 €) : respecté, au centime près",
        kind: "compliant",
        settings,
        config: { budgetMensuel: 75.5 },
        resources: [root, web("web"), volume],
        expect: { raises: [], notRaises: ["PIL-04"], violations: 0 },
    },
    {
        title: "exactement au budget du centre de coût CC-1 (73,00 €)",
        kind: "compliant",
        settings,
        config: { budgetsParCle: { "centre-de-cout": { "CC-1": 73, "CC-2": 2.5 } } },
        resources: [root, web("web"), volume],
        expect: { raises: [], notRaises: ["PIL-04"], violations: 0 },
    },
    {
        title: "aucun budget configuré : la règle ne s'applique pas",
        kind: "compliant",
        settings,
        resources: [root, web("web"), web("web-2")],
        expect: { raises: [], notRaises: ["PIL-04"], violations: 0 },
    },
    {
        title: "au-dessus du budget de la pile (75,50 € pour 75,49 €) : une violation, portée par la pile",
        kind: "non-compliant",
        settings,
        config: { budgetMensuel: 75.49 },
        resources: [root, web("web"), volume],
        expect: { raises: ["PIL-04"], notRaises: [], violations: 1, mentions: ["75,50", "75,49", "dépassement de 0,01"] },
    },
    {
        title: "au-dessus du budget d'un centre de coût, sous celui de la pile",
        kind: "non-compliant",
        settings,
        config: { budgetMensuel: 1000, budgetsParCle: { "centre-de-cout": { "CC-1": 100, "CC-2": 50 } } },
        resources: [root, web("web"), web("web-2"), volume],
        expect: { raises: ["PIL-04"], notRaises: [], violations: 1, mentions: ["centre-de-cout = « CC-1 »", "146,00"] },
    },
    {
        title: "gabarit absent du barème, montant connu sous le budget : invérifiable, jamais un succès silencieux",
        kind: "unknown",
        settings,
        config: { budgetMensuel: 100 },
        resources: [root, web("web"), { type: OS.instance, name: "inconnu", props: { flavorName: "z9-999", tags: tags("CC-1") } }],
        expect: { raises: [], notRaises: ["PIL-04"], cannotCheck: true },
    },
    {
        title: "gabarit inconnu avant le déploiement, montant connu déjà au-dessus : dépassement certain",
        kind: "unknown",
        settings,
        config: { budgetMensuel: 50 },
        resources: [root, web("web"), { type: OS.instance, name: "plus-tard", props: { flavorName: unknown(), tags: tags("CC-1") } }],
        expect: { raises: ["PIL-04"], notRaises: [], violations: 1, mentions: ["1 élément(s) non chiffré(s)"] },
    },
    {
        title: "valeur d'imputation secrète au-dessus de son budget : masquée",
        kind: "secret",
        settings,
        config: { budgetsParCle: { "centre-de-cout": { "CC-SECRET-4242": 10 } } },
        resources: [root, { type: OS.instance, name: "web", props: { flavorName: "g2-4", tags: secret(tags("CC-SECRET-4242")) } }],
        expect: { raises: ["PIL-04"], notRaises: [], violations: 1, hidden: ["CC-SECRET-4242"] },
    },
    {
        title: "valeurs mal formées : listées comme non chiffrées, le budget est invérifiable",
        kind: "malformed",
        settings,
        config: { budgetMensuel: 100 },
        resources: [root, { type: OS.instance, name: "i", props: { flavorName: 42 } }, { type: OS.volume, name: "v", props: { size: -3 } }],
        expect: { raises: [], notRaises: ["PIL-04"], cannotCheck: true },
    },
);
