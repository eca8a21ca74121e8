/**
 * Page vocabulary in en, de, fr, es, it, nl, pt, pl, sv, ja, ar. One map from word or phrase (up to four
 * words) to category bits, so a text is read once and each n-gram costs one lookup; no regular
 * expressions to compile on every page load. Entries are `norm()`ed text: lower case, accents
 * stripped, punctuation as spaces. A trailing `*` matches any word starting so (`reset*`: resetting).
 * Japanese runs words together, so its entries are stems that match a run's start. Other scripts
 * fall back to autocomplete tokens and input types.
 */

// What a form is for (read from buttons, headings, form attributes, title, text).
export const SIGNIN = 1 << 0;
export const SIGNUP = 1 << 1;
export const RESET = 1 << 2;
export const CHANGE = 1 << 3; // "change", "new": with PASSWORD_WORD, a change-password form
export const PASSWORD_WORD = 1 << 4;
export const NEWSLETTER = 1 << 5;
export const SEARCH = 1 << 6;
export const PAY = 1 << 7;
export const OTP = 1 << 8;
export const CONTACT = 1 << 9;
export const SAVE = 1 << 10;
export const NEXT = 1 << 11;
// What a field is for (read from its name, id, placeholder, aria-label and label).
export const F_USER = 1 << 13;
export const F_EMAIL = 1 << 14;
export const F_SEARCH = 1 << 15;
export const F_OTHER = 1 << 16;
export const F_CAPTCHA = 1 << 17;
export const F_CARD = 1 << 18;
export const F_ADDRESS = 1 << 19;
export const F_OTP = 1 << 20;
export const F_PIN = 1 << 21;
export const F_NAME = 1 << 22;
export const F_PHONE = 1 << 23;
export const F_CONFIRM = 1 << 24;
export const F_NEW = 1 << 25;
export const F_CURRENT = 1 << 26;

const LEXICON: [number, string][] = [
  [SIGNIN, "log in|login|logon|log on|sign in|signin|sign on|signon|anmeld*|einloggen|connexion|se connecter|connectez vous|s identifier|identifiez vous|iniciar sesion|inicia sesion|iniciar sessao|acced*|acceso|ingres*|entrar|entra|accesso|inlogg*|aanmelden|zaloguj|logowanie|logga in|welcome back|willkommen zuruck|bon retour|bienvenido de nuevo|ログイン*|サインイン*|ログオン*|تسجيل الدخول|سجل الدخول|دخول"],
  [SIGNUP, "sign up|signup|register|registrat*|registrier*|registrar*|registrese|registrazione|registreren|registrera|create account|create an account|create your account|create a new account|create new account|new account|join now|join free|join us|join today|get started|konto erstellen|konto anlegen|konto eroffnen|neues konto|s inscrire|inscrivez|inscription|inscris toi|creer un compte|creer votre compte|creer mon compte|crear cuenta|crear una cuenta|crear tu cuenta|crea account|crea un account|creare un account|account aanmaken|maak een account|criar conta|criar uma conta|criar sua conta|cadastr*|zarejestruj|rejestracja|zaloz konto|utworz konto|skapa konto|skapa ett konto|bli medlem|新規登録*|会員登録*|アカウント作成*|アカウントを作成*|إنشاء حساب|انشاء حساب|سجل الآن|حساب جديد|التسجيل"],
  [RESET, "forgot*|reset*|recover*|lost password|lost your password|trouble signing|trouble logging|can t sign|can t log|vergessen*|zurucksetz*|wiederherstell*|oublie*|reinitialis*|olvid*|restablec*|recupera*|dimenticat*|reimposta*|vergeten|herstel*|esquec*|redefin*|nie pamietasz|przypomnij*|resetuj|odzyskaj|glomt|aterstall*|パスワードを忘れ*|パスワードをお忘れ*|パスワードの再設定*|パスワード再設定*|パスワードのリセット*|パスワードリセット*|نسيت*|إعادة تعيين*|اعادة تعيين*|استعادة*"],
  [CHANGE, "change|update|new|set|choose|andern|neues|neue|festlegen|changer|modifier|nouveau|nouvelle|definir|cambiar|nueva|establecer|cambia|nuova|modifica|imposta|wijzig|wijzigen|nieuw|nieuwe|instellen|alterar|nova|zmien|nowe|ustaw|byt|andra|nytt|変更*|パスワードの変更*|パスワード変更*|パスワードを変更*|新しいパスワード*|تغيير|تعيين|جديدة|الجديدة"],
  [PASSWORD_WORD, "password|passwort|kennwort|mot de passe|contrasena|clave|senha|wachtwoord|haslo|losenord|パスワード*|كلمة المرور|كلمة السر"],
  [NEWSLETTER, "subscribe*|subscription*|newsletter*|mailing list|abonnier*|abonnement|s abonner|abonnez|abonne|suscrib*|suscripcion|boletin|iscriviti|abbonati|inschrijven|nieuwsbrief|assinar|assine|inscreva se|zapisz sie|subskryb*|prenumerera|nyhetsbrev*"],
  [SEARCH | F_SEARCH, "search*|suche|suchen|rechercher|recherche|buscar|busqueda|cerca|cercare|zoeken|zoek|pesquisar|pesquisa|szukaj|wyszukaj|sok"],
  [PAY, "pay|payment|checkout|check out|place order|order now|buy now|purchase|billing|card number|credit card|zahlung|bezahlen|zahlungspflichtig|kasse|paiement|payer|commander|pagar|pago|comprar|finalizar compra|finalizar pedido|paga|pagamento|acquista|betalen|afrekenen|bestellen|zaplac|platnosc|betala|kassan"],
  [OTP, "verification|verify|one time|otp|2fa|two factor|two step|2 step|authenticator|security code|passcode|enter code|enter the code|bestatigungscode|sicherheitscode|verifizier*|code de verification|code de securite|verifiez|codigo|verificar|codice|verifica|verificatie|verifieer|kod|weryfik*|verifiera|engangskod"],
  [CONTACT, "send|message|contact|comment|feedback|enquiry|inquiry|nachricht|kontakt|senden|absenden|kommentar|envoyer|commentaire|contactez|enviar|mensaje|comentario|contacto|invia|messaggio|commento|contatt*|verstuur|verzend*|bericht|reactie|mensagem|contato|wyslij|wiadomosc|komentarz|skicka|meddelande|post"],
  [SAVE, "save|update|apply|delete|remove|close account|deactivate|speichern|aktualisieren|loschen|enregistrer|mettre a jour|supprimer|guardar|actualizar|eliminar|salva|aggiorna|elimina|opslaan|bijwerken|verwijderen|salvar|atualizar|excluir|zapisz|aktualizuj|usun|spara|uppdatera|radera|ta bort"],
  [NEXT, "next|continue|weiter|fortfahren|suivant|continuer|siguiente|continuar|avanti|continua|prosegui|volgende|doorgaan|verder|proximo|seguinte|dalej|kontynuuj|nasta|fortsatt|次へ|続ける|التالي|متابعة"],

  // More languages: ru, uk, bg, cs, hu, ro, tr, fi, da, no, lt, hr, id, vi, fa, ar, ja, zh, ko. Entries in
  // scripts without spaces between words (ja, zh) also match inside a longer word.
  [SIGNIN, "войти|вход|авторизация|авторизоваться|увійти|вхід|влез|вход в|prihlasit*|prihlaseni|bejelentkez*|belep*|autentificare|conectare|conecteaza|giris|oturum ac|kirjaudu*|log ind|logg inn|prisijung*|prijav*|masuk|dang nhap|ورود|تسجيل الدخول|دخول|ログイン|サインイン|登录|登入|登錄|로그인"],
  [SIGNUP, "регистрация|зарегистрироваться|зарегистрируйтесь|реєстрація|регистрирай*|registrace|registrovat|regisztr*|inregistr*|creeaza cont|kayit ol|uye ol|rekisteroidy|opret konto|opret bruger|registrer*|registruot*|registracija|daftar|dang ky|ثبت نام|سجل الآن|إنشاء حساب|انشاء حساب|新規登録|会員登録|アカウント作成|注册|註冊|회원가입"],
  [RESET, "забыли|забыл|напомнить|восстановить|восстановление|забравена|zapomenut*|elfelejtett*|ai uitat|unuttum|unuttunuz|unohditko|unohtunut|glemt|pamirsote|zaboravlj*|lupa|quen mat khau|فراموشی|نسيت|忘记|忘記|お忘れ|찾기"],
  [PASSWORD_WORD, "пароль|парола|heslo|jelszo|parola|sifre|salasana|adgangskode|passord|slaptazodis|lozinka|kata sandi|mat khau|رمز عبور|كلمة المرور|كلمة السر|パスワード|密码|密碼|비밀번호"],
  [SEARCH | F_SEARCH, "поиск|найти|търсене|hledat|kereses|cautare|cauta|arama|haku|hae|sog|sok|paieska|trazi|pretraga|cari|tim kiem|جستجو|بحث|検索|搜索|搜尋|검색"],
  [NEWSLETTER, "рассылка|подписаться|подписка|odebirat|feliratkoz*|hirlevel|aboneaza|abone ol|tilaa|uutiskirje|tilmeld|nyhedsbrev|prenumeruoti|pretplat*|berlangganan|dang ky nhan tin|خبرنامه|النشرة|メルマガ|订阅|訂閱|구독"],
  [CONTACT, "отправить|сообщение|комментарий|odeslat|kuldes|trimite|gonder|laheta|send besked|siusti|posalji|kirim|gui|ارسال|إرسال|送信|发送|발송|보내기"],
  [F_USER, "логин|пользовател*|имя пользователя|потребител*|uzivatel*|felhasznalo*|utilizator|kullanici*|kayttaja*|brugernavn|brukernavn|vartotoj*|korisni*|nama pengguna|ten dang nhap|نام کاربری|اسم المستخدم|ユーザー名|ユーザid|用户名|帐号|账号|帳號|아이디|사용자|ユーザー*|ユーザ名*|ログインid*|アカウント*|المستخدم"],
  [F_USER | F_EMAIL, "почта|эл почта|электронная почта|имейл|posta|eposta|sahkoposti|pasts|pastas|surel|ایمیل|البريد|メールアドレス|メール|邮箱|电子邮件|郵箱|이메일|البريد الإلكتروني|البريد الالكتروني"],
  [F_USER, "user*|usr|login*|log in|account*|acct|identifi*|ident|uid|member*|mitglied*|adherent|customer id|customer number|customer no|client id|client number|benutzer*|nutzer*|anmeldename|kennung|kundennummer|utilisateur*|usuario*|utente|gebruiker*|uzytkownik*|anvandar*"],
  [F_USER | F_EMAIL, "email*|e mail|mail|courriel|correo*|e post|epost*|e postadress|e mailadres|mejl"],
  [F_SEARCH, "such|busca|pesquis*|query|keyword|keywords"],
  [F_OTHER, "promo*|coupon*|voucher*|gift*|discount*|gutschein*|rabatt*|cupon*|sconto|korting*|cupom|kupon*|subject|betreff|objet|asunto|oggetto|onderwerp|assunto|temat|amne|company|firma|organization|organisation|entreprise|empresa|azienda|bedrijf|website|homepage|url|quantity|qty|menge|birth*|geburt*|naissance|nacimiento|nascita|geboorte*|nascimento|urodzenia|fodelse*|age|date|datum|fecha|data"],
  [F_CAPTCHA, "captcha*|recaptcha*|security check|characters|sicherheitsabfrage"],
  [F_CARD, "card*|cc|cvv|cvc|csc|cid|expir*|exp|mm yy|mmyy|kreditkarte*|karten*|carte|tarjeta|carta|kaart*|cartao|karty|kort*|iban|bic|cc num|ccnum|scadenza|vencimiento|ablaufdatum|validade"],
  [F_ADDRESS, "address*|street*|strasse*|city|zip*|postal*|postcode|post code|plz|postleitzahl|ort|wohnort|hausnummer|adresse*|rue|ville|code postal|direccion|calle|ciudad|provincia|indirizzo|citta|cap|adres|straat|plaats|endereco|cidade|cep|bairro|ulica|miasto|pocztowy|gatuadress|postnummer|country|land|pays|pais|paese|state|region|province|county|apartment|suite|line1|line2|address1|address2"],
  [F_OTP, "otp|one time|onetime|totp|2fa|mfa|code|codigo|codice|kod|token|passcode|verification|sms|tan"],
  [F_PIN, "pin"],
  [F_NAME, "first name|last name|full name|given name|family name|middle name|surname|display name|nickname|your name|firstname|lastname|fullname|fname|lname|name|vorname|nachname|prenom|nom|nombre|apellido|apellidos|nome|cognome|voornaam|achternaam|naam|imie|nazwisko|fornamn|efternamn|namn"],
  [F_PHONE, "tel*|phone*|mobile*|cell*|handy|portable|movil|cellulare|mobiel|celular|komorka|mobil"],
  [F_CONFIRM, "confirm*|repeat*|retype|re enter|reenter|again|verify|bestatig*|wiederhol*|confirme*|repet*|ripet*|herhaal*|bevestig*|powtorz*|upprepa|bekrafta|確認用*|再入力*|パスワード確認*|パスワードの確認*|تأكيد*"],
  [F_NEW, "new|neu|neues|neue|nouveau|nouvelle|nueva|nuevo|nuova|nuovo|nieuw|nieuwe|nova|novo|nowe|nytt|create|choose|新しい*|新パスワード*|الجديدة|جديدة"],
  [F_CURRENT, "current*|old*|existing|aktuell*|alt|altes|bisherig*|actuel*|ancien*|actual|anterior|attuale|vecchia|huidig*|oud*|atual|antiga|obecne|stare|nuvarande|gammalt|現在の*|古い*|الحالية|القديمة"],
];

const WORDS = new Map<string, number>();
const STEMS = new Map<string, number>();
/** Entries in kana, CJK and Hangul: matched anywhere inside a word (no spaces between words, or particles glued on). */
const INNER: [string, number][] = [];
const UNSPACED = /[\u1100-\u11ff\u3040-\u9fff\uac00-\ud7af]/; // Hangul is matched as decomposed jamo after norm()
for (const [bits, list] of LEXICON) {
  for (const raw of list.split("|")) {
    const stem = raw.endsWith("*");
    // Non-Latin entries go through norm() like the page text (й loses its breve, Arabic keeps its letters).
    const key = /[^a-z ]/.test(raw) ? norm(stem ? raw.slice(0, -1) : raw) : stem ? raw.slice(0, -1) : raw;
    if (UNSPACED.test(key)) INNER.push([key, bits]);
    else (stem ? STEMS : WORDS).set(key, ((stem ? STEMS : WORDS).get(key) ?? 0) | bits);
  }
}

export function norm(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2") // loginEmail → login Email
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ł/g, "l")
    .replace(/ß/g, "ss")
    .replace(/đ/g, "d")
    .replace(/ı/g, "i")
    .replace(/[\u060c\u061b\u061f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]/g, " ") // Arabic and CJK punctuation inside the kept ranges
    .replace(/[^a-z0-9@\u00c0-\u024f\u0370-\u1fff\u3040-\uffef]+/g, " ")
    .trim();
}

/** First words of the multi-word entries, and the lengths stems come in: most words need neither lookup. */
const PHRASE_HEADS = new Set([...WORDS.keys()].filter((k) => k.includes(" ")).map((k) => k.slice(0, k.indexOf(" "))));
const STEM_LENGTHS = [...new Set([...STEMS.keys()].map((k) => k.length))].filter((n) => n >= 2 && n <= 14).sort((a, b) => a - b);

/** The categories of every word and phrase of a `norm()`ed text, OR-ed together. */
export function wordBits(text: string): number {
  if (!text) return 0;
  const words = text.split(" ");
  let bits = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    bits |= WORDS.get(word) ?? 0;
    if (PHRASE_HEADS.has(word)) {
      let phrase = word;
      for (let n = 1; n < 4 && i + n < words.length; n++) bits |= WORDS.get((phrase += ` ${words[i + n]}`)) ?? 0;
    }
    for (const len of STEM_LENGTHS) {
      if (len > word.length) break;
      bits |= STEMS.get(word.slice(0, len)) ?? 0;
    }
    if (INNER.length && UNSPACED.test(word)) for (const [entry, b] of INNER) if (word.includes(entry)) bits |= b;
  }
  return bits;
}
