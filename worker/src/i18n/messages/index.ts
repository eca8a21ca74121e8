import type { Locale } from "../../../../shared/locale.js";
import { ar } from "./ar.js";
import { de } from "./de.js";
import { en, type Catalog } from "./en.js";
import { es } from "./es.js";
import { fr } from "./fr.js";
import { ja } from "./ja.js";
import { ptBR } from "./pt-BR.js";

/** One catalog per shipped locale: adding a language to shared/locale.ts fails typecheck here until its catalog exists. */
export const CATALOGS: Record<Locale, Catalog> = { en, de, fr, es, "pt-BR": ptBR, ja, ar };
