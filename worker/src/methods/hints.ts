/** Masked hints (spec §3): enough for the owner to recognise, too little for anyone else to use. */
export function emailHint(address: string): string {
  const [local = "", domain = ""] = address.split("@");
  const labels = domain.split(".");
  const tld = labels.length > 1 ? labels[labels.length - 1] : "";
  return `${[...local][0] ?? ""}•••@${[...domain][0] ?? ""}•••${tld ? `.${tld}` : ""}`;
}

/** `•••••••1234`: the last four digits of an E.164 number. */
export function phoneHint(e164: string): string {
  return `•••••••${e164.replace(/\D/g, "").slice(-4)}`;
}
