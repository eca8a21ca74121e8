import { type BerReader, BerWriter, Control } from "ldapts";

export const PASSWORD_MODIFY_OID = "1.3.6.1.4.1.4203.1.11.1";

/** RFC 3062: `SEQUENCE { userIdentity [0] OCTET STRING OPTIONAL, oldPasswd [1] …, newPasswd [2] … }`. */
export function passwordModifyValue(userDn: string, newPassword: string, oldPassword?: string): Buffer {
  const writer = new BerWriter();
  writer.startSequence();
  writer.writeString(userDn, 0x80);
  if (oldPassword !== undefined) writer.writeString(oldPassword, 0x81);
  writer.writeString(newPassword, 0x82);
  writer.endSequence();
  return writer.buffer;
}

/**
 * LDAP_SERVER_POLICY_HINTS (1.2.840.113556.1.4.2239, value `SEQUENCE { INTEGER 1 }`): asks AD to apply
 * password history to an administrative reset. Non-critical, because Samba rejects it when critical
 * and a DC that ignores it must still take the reset.
 */
export class PolicyHintsControl extends Control {
  static readonly OID = "1.2.840.113556.1.4.2239";

  constructor() {
    super(PolicyHintsControl.OID, { critical: false });
  }

  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter();
    value.startSequence();
    value.writeInt(1);
    value.endSequence();
    writer.writeBuffer(value.buffer, 0x04);
  }
}

/** AD's `unicodePwd` value: the password in double quotes, UTF-16LE. */
export const unicodePwd = (password: string) => Buffer.from(`"${password}"`, "utf16le");

/**
 * The password policy control (draft-behera-ldap-password-policy), sent with a user's bind to slapd.
 * slapd answers 49 alike for a wrong password and for a right but expired one; only this response
 * control tells them apart, and slapd sets its `passwordExpired` error only after the password checked
 * out. ldapts drops the controls of a failed response, but parses a response control of a type the
 * request carried into that same object, so after the bind `error` holds slapd's answer (null: none).
 */
export class PasswordPolicyControl extends Control {
  static readonly OID = "1.3.6.1.4.1.42.2.27.8.5.1";
  static readonly PASSWORD_EXPIRED = 0;
  error: number | null = null;

  constructor() {
    super(PasswordPolicyControl.OID, { critical: false });
  }

  /** `SEQUENCE { warning [0] CHOICE {…} OPTIONAL, error [1] ENUMERATED OPTIONAL }` */
  protected override parseControl(reader: BerReader): void {
    if (reader.readSequence(0x30) === null) return;
    if (reader.peek() === 0xa0) {
      reader.readSequence(0xa0);
      const choice = reader.peek();
      if (choice !== null) reader.readTag(choice);
    }
    if (reader.peek() === 0x81) this.error = reader.readTag(0x81);
  }
}
