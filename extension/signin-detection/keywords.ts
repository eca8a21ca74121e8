/**
 * Page vocabulary in en, de, fr, es, it, nl, pt, pl, sv, matched against `norm()`ed text
 * (lower case, accents stripped, punctuation as spaces), so the patterns are plain ASCII.
 * Scripts other than Latin fall back to autocomplete tokens and input types.
 */

export function norm(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2") // loginEmail → login Email
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ł/g, "l")
    .replace(/ß/g, "ss")
    .replace(/[^\p{L}\p{N}@]+/gu, " ")
    .trim();
}

// ── What a form is for (buttons, headings, form attributes, title, text) ─────────────────────
export const SIGNIN =
  /\b(log ?in|log ?on|sign ?in|sign ?on|anmelden|anmeldung|einloggen|connexion|se connecter|connectez vous|s identifier|identifiez vous|iniciar sesion|inicia sesion|acceder|accede|acceso|ingresar|ingresa|entrar|accedi|accesso|entra|inloggen|aanmelden|fazer login|iniciar sessao|zaloguj|logowanie|logga in|inloggning|welcome back|willkommen zuruck|bon retour|bienvenido de nuevo)\b/;

export const SIGNUP =
  /\b(sign ?up|register|registration|create (an |your |a )?(new )?account|new account|join (now|free|us|today)|get started|registrier(en|ung)|konto (erstellen|anlegen|eroffnen)|neues konto|s inscrire|inscri(vez|ption|s toi|re)|creer (un |votre |mon )?compte|registr(ar|ate|arse|ese)|crear (una |tu |mi )?cuenta|crea (un |il tuo )?account|registrati|registrazione|registreren|registratie|account aanmaken|maak (een )?account|criar (uma |sua )?conta|cadastr(ar|e|o|ese)|zarejestruj|rejestracja|zaloz konto|utworz konto|registrera|skapa (ett )?konto|bli medlem)\b/;

export const RESET =
  /\b(forgot|forgotten|reset|recover|trouble (signing|logging)|can t (sign|log)|vergessen|zurucksetzen|wiederherstell|oublie|reinitialis|olvid|restablec|recuperar|dimenticat|reimposta|recupera|vergeten|herstel|esquec|redefin|nie pamietasz|przypomnij|resetuj|odzyskaj|glomt|aterstall)/;

export const CHANGE_PASSWORD =
  /\b(change|update|new|set|choose|andern|neues|neue|festlegen|changer|modifier|nouveau|definir|cambiar|nueva|establecer|cambia|nuova|modifica|imposta|wijzig|wijzigen|nieuw|instellen|alterar|nova|zmien|nowe|ustaw|byt|andra|nytt)\b.{0,12}\b(password|passwort|kennwort|mot de passe|contrasena|clave|senha|wachtwoord|haslo|losenord)|\b(passwort|kennwort|wachtwoord|haslo|losenord) (andern|wijzigen|zmien|andra)/;

export const NEWSLETTER =
  /\b(subscribe|subscription|newsletter|mailing list|abonnieren|abonniere|abonnement|s abonner|abonnez|suscrib|suscripcion|iscriviti|abbonati|inschrijven|nieuwsbrief|assinar|assine|inscreva se|zapisz sie|subskryb|prenumerera|nyhetsbrev)/;

export const SEARCH =
  /\b(search|suche|suchen|rechercher|recherche|buscar|busqueda|cerca|cercare|zoeken|zoek|pesquisar|pesquisa|szukaj|wyszukaj|sok)\b/;

export const PAY =
  /\b(pay|payment|checkout|place order|order now|buy now|purchase|billing|card number|credit card|zahlung|bezahlen|zahlungspflichtig|kasse|paiement|payer|commander|pagar|pago|comprar|finalizar (compra|pedido)|paga|pagamento|acquista|betalen|afrekenen|bestellen|zaplac|platnosc|betala|kassan)\b/;

export const OTP =
  /\b(verification|verify|one time|otp|2fa|two factor|two step|2 step|authenticator|security code|passcode|enter (the )?code|bestatigungscode|sicherheitscode|verifizier|code de (verification|securite)|verifiez|codigo|verificar|codice|verifica|verificatie|verifieer|kod|weryfik|verifiera|engangskod)\b/;

export const CONTACT =
  /\b(send|message|contact|comment|feedback|enquiry|inquiry|nachricht|kontakt|senden|absenden|kommentar|envoyer|commentaire|contactez|enviar|mensaje|comentario|contacto|invia|messaggio|commento|contatt|verstuur|verzend|bericht|reactie|mensagem|contato|wyslij|wiadomosc|komentarz|skicka|meddelande|post)\b/;

/** Account management: saving a profile, deleting an account. */
export const SAVE =
  /\b(save|update|apply|delete|remove|close account|deactivate|speichern|aktualisieren|loschen|enregistrer|mettre a jour|supprimer|guardar|actualizar|eliminar|salva|aggiorna|elimina|opslaan|bijwerken|verwijderen|salvar|atualizar|excluir|zapisz|aktualizuj|usun|spara|uppdatera|radera|ta bort)\b/;

export const NEXT =
  /\b(next|continue|weiter|fortfahren|suivant|continuer|siguiente|continuar|avanti|continua|prosegui|volgende|doorgaan|verder|proximo|seguinte|dalej|kontynuuj|nasta|fortsatt)\b/;

export const REMEMBER =
  /\b(remember me|keep me (signed|logged) in|stay (signed|logged) in|angemeldet bleiben|eingeloggt bleiben|se souvenir de moi|rester connecte|recordarme|mantener (la )?sesion|ricordami|resta collegato|onthoud mij|ingelogd blijven|lembrar|manter conectado|zapamietaj|pamietaj mnie|kom ihag mig|forbli inloggad)\b/;
