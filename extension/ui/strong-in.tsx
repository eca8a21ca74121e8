/** Stands in for the value while the translated sentence is split around it; never in a translation. */
const MARK = "\u0001";

/**
 * A translated sentence with its one value in bold, wherever the translation puts it: for sentences
 * whose point is that value (whose account this is, which server gets the passwords).
 */
export function StrongIn({ message, value, class: className }: { message: (placeholder: string) => string; value: string; class?: string }) {
  const [before = "", after = ""] = message(MARK).split(MARK);
  return (
    <>
      {before}
      <strong class={className}>{value}</strong>
      {after}
    </>
  );
}
