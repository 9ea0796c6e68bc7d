// The console's string table: one row per key, one column per language.
#include "central/console/text.hpp"

#include <charconv>

#include "common/util/strings.hpp"

namespace alliance::central::console {
namespace {

struct Row {
  std::string_view key;
  std::string_view en, fr, pt, es;
};

// clang-format off
constexpr Row kTable[] = {
  {"title", "Office console", "Console du bureau", "Consola do escritório", "Consola de la oficina"},
  {"login.title", "Sign in", "Connexion", "Entrar", "Iniciar sesión"},
  {"login.name", "Account name", "Nom du compte", "Nome da conta", "Nombre de la cuenta"},
  {"login.password", "Password", "Mot de passe", "Palavra-passe", "Contraseña"},
  {"login.submit", "Sign in", "Se connecter", "Entrar", "Entrar"},
  {"login.wrong", "Wrong name or password.", "Nom ou mot de passe incorrect.",
   "Nome ou palavra-passe incorretos.", "Nombre o contraseña incorrectos."},
  {"login.limited", "Too many sign-in attempts. Wait a few minutes and try again.",
   "Trop de tentatives de connexion. Attendez quelques minutes et réessayez.",
   "Demasiadas tentativas de entrada. Aguarde alguns minutos e tente de novo.",
   "Demasiados intentos de inicio de sesión. Espere unos minutos e inténtelo de nuevo."},
  {"login.expired", "Your session has ended. Sign in again.",
   "Votre session est terminée. Reconnectez-vous.", "A sua sessão terminou. Entre de novo.",
   "Su sesión ha terminado. Inicie sesión de nuevo."},
  {"logout", "Sign out", "Se déconnecter", "Sair", "Cerrar sesión"},
  {"signed_in_as", "Signed in as", "Connecté en tant que", "Sessão de", "Sesión de"},
  {"role.admin", "administrator", "administrateur", "administrador", "administrador"},
  {"role.manager", "manager", "gestionnaire", "gestor", "gestor"},
  {"role.viewer", "viewer", "lecteur", "leitor", "lector"},
  {"requests.title", "Resource requests", "Demandes de ressources", "Pedidos de recursos",
   "Solicitudes de recursos"},
  {"requests.none", "No requests.", "Aucune demande.", "Nenhum pedido.", "No hay solicitudes."},
  {"requests.range", "Requests {} to {} of {}.", "Demandes {} à {} sur {}.",
   "Pedidos {} a {} de {}.", "Solicitudes {} a {} de {}."},
  {"page.newer", "Newer", "Plus récentes", "Mais recentes", "Más recientes"},
  {"page.older", "Older", "Plus anciennes", "Mais antigos", "Más antiguas"},
  {"col.code", "Code", "Code", "Código", "Código"},
  {"col.office", "Office", "Bureau", "Escritório", "Oficina"},
  {"col.requester", "Requester", "Demandeur", "Requerente", "Solicitante"},
  {"col.packs", "Packs", "Kits", "Kits", "Kits"},
  {"col.status", "Status", "Statut", "Estado", "Estado"},
  {"col.created", "Created", "Créée", "Criado", "Creada"},
  {"col.actions", "Actions", "Actions", "Ações", "Acciones"},
  {"action.approve", "Approve", "Approuver", "Aprovar", "Aprobar"},
  {"action.reject", "Reject", "Refuser", "Recusar", "Rechazar"},
  {"action.dispatch", "Mark dispatched", "Marquer expédiée", "Marcar expedido",
   "Marcar enviada"},
  {"action.reason", "Reason", "Motif", "Motivo", "Motivo"},
  {"action.reason_required", "Give a reason to reject a request.",
   "Indiquez un motif pour refuser une demande.", "Indique um motivo para recusar um pedido.",
   "Indique un motivo para rechazar una solicitud."},
  {"action.done", "Request {} is now: {}.", "La demande {} est maintenant : {}.",
   "O pedido {} está agora: {}.", "La solicitud {} está ahora: {}."},
  {"action.invalid", "This request cannot move from {} to {}.",
   "Cette demande ne peut pas passer de {} à {}.",
   "Este pedido não pode passar de {} para {}.",
   "Esta solicitud no puede pasar de {} a {}."},
  {"action.not_found", "There is no such request.", "Cette demande n'existe pas.",
   "Esse pedido não existe.", "Esa solicitud no existe."},
  {"status.requested", "requested", "demandée", "pedido", "solicitada"},
  {"status.approved", "approved", "approuvée", "aprovado", "aprobada"},
  {"status.ready", "ready", "prête", "pronto", "lista"},
  {"status.dispatched", "dispatched", "expédiée", "expedido", "enviada"},
  {"status.delivered", "delivered", "remise", "entregue", "entregada"},
  {"status.cancelled", "cancelled", "annulée", "cancelado", "cancelada"},
  {"forbidden.title", "Refused", "Refusé", "Recusado", "Rechazado"},
  {"forbidden.csrf", "This form has expired or did not come from this console. Go back, reload the page and try again.",
   "Ce formulaire a expiré ou ne vient pas de cette console. Revenez en arrière, rechargez la page et réessayez.",
   "Este formulário expirou ou não veio desta consola. Volte atrás, recarregue a página e tente de novo.",
   "Este formulario ha caducado o no procede de esta consola. Vuelva atrás, recargue la página e inténtelo de nuevo."},
  {"forbidden.role", "Your account may look at requests but not decide on them.",
   "Votre compte peut consulter les demandes mais pas en décider.",
   "A sua conta pode ver os pedidos, mas não decidir sobre eles.",
   "Su cuenta puede ver las solicitudes, pero no decidir sobre ellas."},
  {"not_found", "There is no such page.", "Cette page n'existe pas.", "Essa página não existe.",
   "Esa página no existe."},
  {"bad_form", "The form could not be read. Reload the page and try again.",
   "Le formulaire n'a pas pu être lu. Rechargez la page et réessayez.",
   "O formulário não pôde ser lido. Recarregue a página e tente de novo.",
   "No se pudo leer el formulario. Recargue la página e inténtelo de nuevo."},
  {"busy", "The server is busy. Try again in a moment.",
   "Le serveur est occupé. Réessayez dans un instant.",
   "O servidor está ocupado. Tente de novo daqui a pouco.",
   "El servidor está ocupado. Inténtelo de nuevo en un momento."},
  {"back", "Back to the requests", "Retour aux demandes", "Voltar aos pedidos",
   "Volver a las solicitudes"},
  {"language", "Language", "Langue", "Idioma", "Idioma"},
  {"nav.label", "Pages", "Pages", "Páginas", "Páginas"},
  {"nav.requests", "Requests", "Demandes", "Pedidos", "Solicitudes"},

  // --- dashboard and members (dashboard_page.cpp, members_page.cpp) ---

  // (end of dashboard and members)

  // --- devices, events and catalogue, exports (devices_page.cpp, events_page.cpp, exports_page.cpp) ---

  // (end of devices, events and catalogue, exports)

  // --- duplicates and merge, bulk decisions, stock (duplicates_page.cpp, requests_page.cpp) ---

  {"nav.duplicates", "Duplicates", "Doublons", "Duplicados", "Duplicados"},
  {"nav.stock", "Stock", "Stock", "Stock", "Existencias"},
  {"bulk.title", "Ticked requests:", "Demandes cochées :", "Pedidos marcados:",
   "Solicitudes marcadas:"},
  {"bulk.select", "Select", "Choisir", "Escolher", "Elegir"},
  {"bulk.none", "Tick at least one request first.", "Cochez d'abord au moins une demande.",
   "Marque primeiro pelo menos um pedido.", "Marque primero al menos una solicitud."},
  {"bulk.too_many", "At most {} requests at once. Tick fewer and try again.",
   "Au plus {} demandes à la fois. Cochez-en moins et réessayez.",
   "No máximo {} pedidos de cada vez. Marque menos e tente de novo.",
   "Como máximo {} solicitudes a la vez. Marque menos e inténtelo de nuevo."},
  {"bulk.summary", "{} of {} ticked requests done.", "{} demandes cochées sur {} traitées.",
   "{} de {} pedidos marcados tratados.", "{} de {} solicitudes marcadas hechas."},
  {"stock.title", "Stock per office and pack", "Stock par bureau et kit",
   "Stock por escritório e kit", "Existencias por oficina y kit"},
  {"stock.explain", "Set the packs an office has on hand after a delivery or a count. Marking a request dispatched takes its packs off; a pack whose stock was never set is not counted.",
   "Indiquez les kits qu'un bureau a en main après une livraison ou un inventaire. Marquer une demande expédiée retire ses kits ; un kit dont le stock n'a jamais été indiqué n'est pas compté.",
   "Indique os kits que um escritório tem após uma entrega ou contagem. Marcar um pedido como expedido retira os seus kits; um kit cujo stock nunca foi indicado não é contado.",
   "Indique los kits que una oficina tiene tras una entrega o un recuento. Marcar una solicitud como enviada descuenta sus kits; un kit cuyas existencias nunca se indicaron no se cuenta."},
  {"stock.pack", "Pack", "Kit", "Kit", "Kit"},
  {"stock.quantity", "On hand", "En stock", "Em stock", "Disponibles"},
  {"stock.updated", "Last set", "Dernière mise à jour", "Última atualização",
   "Última actualización"},
  {"stock.set", "Set stock", "Enregistrer le stock", "Guardar stock", "Guardar existencias"},
  {"stock.none", "No stock recorded yet: every pack is untracked.",
   "Aucun stock enregistré : aucun kit n'est suivi.",
   "Nenhum stock registado: nenhum kit é seguido.",
   "No hay existencias registradas: ningún kit se sigue."},
  {"stock.more", "The first {} of {} are shown.", "Les {} premiers sur {} sont affichés.",
   "São mostrados os primeiros {} de {}.", "Se muestran los primeros {} de {}."},
  {"stock.on_hand", "{} on hand", "{} en stock", "{} em stock", "{} disponibles"},
  {"stock.untracked", "stock not tracked", "stock non suivi", "stock não seguido",
   "existencias no seguidas"},
  {"stock.short", "{}: not dispatched, pack {} has {} on hand and this request needs {}. Set the stock after the next delivery, then try again.",
   "{} : non expédiée, le kit {} a {} en stock et cette demande en demande {}. Indiquez le stock après la prochaine livraison, puis réessayez.",
   "{}: não expedido, o kit {} tem {} em stock e este pedido precisa de {}. Indique o stock após a próxima entrega e tente de novo.",
   "{}: no enviada, el kit {} tiene {} disponibles y esta solicitud necesita {}. Indique las existencias tras la próxima entrega e inténtelo de nuevo."},
  {"stock.short_unknown", "{}: not dispatched, there is not enough stock. Reload the page to see the stock now.",
   "{} : non expédiée, le stock ne suffit pas. Rechargez la page pour voir le stock actuel.",
   "{}: não expedido, o stock não chega. Recarregue a página para ver o stock atual.",
   "{}: no enviada, no hay existencias suficientes. Recargue la página para ver las existencias actuales."},
  {"stock.bad_quantity", "Type the number on hand, a whole number from 0 to {}.",
   "Saisissez la quantité en stock, un nombre entier de 0 à {}.",
   "Escreva a quantidade em stock, um número inteiro de 0 a {}.",
   "Escriba la cantidad disponible, un número entero de 0 a {}."},
  {"stock.unknown_pack", "Choose a pack from the catalogue.", "Choisissez un kit du catalogue.",
   "Escolha um kit do catálogo.", "Elija un kit del catálogo."},
  {"stock.bad_office", "Type the office's name (at most 100 characters).",
   "Saisissez le nom du bureau (100 caractères au plus).",
   "Escreva o nome do escritório (no máximo 100 caracteres).",
   "Escriba el nombre de la oficina (100 caracteres como máximo)."},
  {"stock.saved", "Stock of {} at {} is now {}.", "Le stock de {} à {} est maintenant {}.",
   "O stock de {} em {} é agora {}.", "Las existencias de {} en {} son ahora {}."},
  {"dup.title", "Possible duplicates", "Doublons possibles", "Possíveis duplicados",
   "Posibles duplicados"},
  {"dup.pick_office", "Choose an office:", "Choisissez un bureau :", "Escolha um escritório:",
   "Elija una oficina:"},
  {"dup.office", "Office {}.", "Bureau {}.", "Escritório {}.", "Oficina {}."},
  {"dup.explain", "Members who may be one person registered twice. Check the differences, then keep one: the other's attendance and requests move to it.",
   "Membres qui sont peut-être une même personne enregistrée deux fois. Vérifiez les différences, puis gardez-en un : les présences et demandes de l'autre lui sont transférées.",
   "Membros que podem ser a mesma pessoa registada duas vezes. Verifique as diferenças e mantenha um: as presenças e pedidos do outro passam para ele.",
   "Miembros que pueden ser una misma persona registrada dos veces. Compruebe las diferencias y conserve uno: las asistencias y solicitudes del otro pasan a él."},
  {"dup.none", "No possible duplicates.", "Aucun doublon possible.", "Nenhum possível duplicado.",
   "No hay posibles duplicados."},
  {"dup.range", "Pairs {} to {} of {}.", "Paires {} à {} sur {}.", "Pares {} a {} de {}.",
   "Pares {} a {} de {}."},
  {"dup.capped", "Only the {} likeliest are listed; merge these first.",
   "Seules les {} plus probables sont listées ; fusionnez-les d'abord.",
   "Só os {} mais prováveis são listados; junte estes primeiro.",
   "Solo se listan los {} más probables; fusione estos primero."},
  {"page.previous", "Previous", "Précédentes", "Anteriores", "Anteriores"},
  {"page.next", "Next", "Suivantes", "Seguintes", "Siguientes"},
  {"dup.keep", "Keep {}, merge {} into it", "Garder {}, y fusionner {}", "Manter {}, juntar {} a ele",
   "Conservar {}, fusionar {} en él"},
  {"dup.verdict.likely", "Likely the same person", "Probablement la même personne",
   "Provavelmente a mesma pessoa", "Probablemente la misma persona"},
  {"dup.verdict.possible", "Possibly the same person", "Peut-être la même personne",
   "Possivelmente a mesma pessoa", "Posiblemente la misma persona"},
  {"dup.signal.name_same", "same name", "même nom", "mesmo nome", "mismo nombre"},
  {"dup.signal.name_swapped", "given and family names swapped", "prénom et nom inversés",
   "nome próprio e apelido trocados", "nombre y apellido intercambiados"},
  {"dup.signal.name_variant", "a spelling variant", "une variante d'orthographe",
   "uma variante ortográfica", "una variante ortográfica"},
  {"dup.signal.name_typo", "a typing slip in the name", "une faute de frappe dans le nom",
   "um erro de escrita no nome", "un error de escritura en el nombre"},
  {"dup.signal.name_partial", "part of the name", "une partie du nom", "parte do nome",
   "parte del nombre"},
  {"dup.signal.family_only", "same family name only", "même nom de famille seulement",
   "só o mesmo apelido", "solo el mismo apellido"},
  {"dup.signal.organisation_same", "same organisation", "même organisation",
   "mesma organização", "misma organización"},
  {"dup.signal.organisation_other", "other organisation", "autre organisation",
   "outra organização", "otra organización"},
  {"dup.signal.phone_same", "same phone", "même téléphone", "mesmo telefone", "mismo teléfono"},
  {"dup.signal.phone_other", "other phone", "autre téléphone", "outro telefone", "otro teléfono"},
  {"dup.signal.email_same", "same e-mail", "même e-mail", "mesmo e-mail", "mismo correo"},
  {"dup.signal.email_other", "other e-mail", "autre e-mail", "outro e-mail", "otro correo"},
  {"dup.signal.birth_year_same", "same birth year", "même année de naissance",
   "mesmo ano de nascimento", "mismo año de nacimiento"},
  {"dup.signal.birth_year_other", "other birth year", "autre année de naissance",
   "outro ano de nascimento", "otro año de nacimiento"},
  {"dup.signal.gender_other", "other gender", "autre genre", "outro género", "otro género"},
  {"dup.signal.shared_contact", "a shared phone or e-mail", "un téléphone ou e-mail partagé",
   "um telefone ou e-mail partilhado", "un teléfono o correo compartido"},
  {"dup.field.reference_code", "Code", "Code", "Código", "Código"},
  {"dup.field.given_name", "Given name", "Prénom", "Nome próprio", "Nombre"},
  {"dup.field.family_name", "Family name", "Nom", "Apelido", "Apellido"},
  {"dup.field.organisation", "Organisation", "Organisation", "Organização", "Organización"},
  {"dup.field.contact_person", "Contact person", "Personne de contact", "Pessoa de contacto",
   "Persona de contacto"},
  {"dup.field.phone", "Phone", "Téléphone", "Telefone", "Teléfono"},
  {"dup.field.email", "E-mail", "E-mail", "E-mail", "Correo"},
  {"dup.field.birth_year", "Birth year", "Année de naissance", "Ano de nascimento",
   "Año de nacimiento"},
  {"dup.field.gender", "Gender", "Genre", "Género", "Género"},
  {"dup.field.country", "Country", "Pays", "País", "País"},
  {"dup.field.region", "Region", "Région", "Região", "Región"},
  {"dup.field.role", "Role", "Fonction", "Função", "Función"},
  {"dup.field.created", "Registered", "Enregistré", "Registado", "Registrado"},
  {"forbidden.merge", "Your account may look at possible duplicates but not merge them.",
   "Votre compte peut consulter les doublons possibles mais pas les fusionner.",
   "A sua conta pode ver os possíveis duplicados, mas não juntá-los.",
   "Su cuenta puede ver los posibles duplicados, pero no fusionarlos."},
  {"forbidden.stock", "Your account may look at the stock but not change it.",
   "Votre compte peut consulter le stock mais pas le modifier.",
   "A sua conta pode ver o stock, mas não alterá-lo.",
   "Su cuenta puede ver las existencias, pero no cambiarlas."},
  {"merge.done", "Merged: {} check-in(s) and {} request(s) moved to the member kept. Kiosks receive it at their next sync.",
   "Fusion faite : {} présence(s) et {} demande(s) transférées au membre gardé. Les kiosques la reçoivent à leur prochaine synchronisation.",
   "Junção feita: {} presença(s) e {} pedido(s) passaram para o membro mantido. Os quiosques recebem-na na próxima sincronização.",
   "Fusión hecha: {} asistencia(s) y {} solicitud(es) pasaron al miembro conservado. Los quioscos la reciben en su próxima sincronización."},
  {"merge.already", "Already merged, at {} by {}. Nothing changed.",
   "Déjà fusionnés, le {} par {}. Rien n'a changé.", "Já juntados, em {} por {}. Nada mudou.",
   "Ya fusionados, el {} por {}. No cambió nada."},
  {"merge.refused.not_found", "One of these members does not exist (any more). Reload the page.",
   "L'un de ces membres n'existe pas (ou plus). Rechargez la page.",
   "Um destes membros não existe (ou já não existe). Recarregue a página.",
   "Uno de estos miembros no existe (o ya no existe). Recargue la página."},
  {"merge.refused.same_member", "A member cannot be merged with itself.",
   "Un membre ne peut pas être fusionné avec lui-même.",
   "Um membro não pode ser juntado consigo mesmo.",
   "Un miembro no puede fusionarse consigo mismo."},
  {"merge.refused.different_offices", "These members belong to two offices and cannot be merged.",
   "Ces membres appartiennent à deux bureaux et ne peuvent pas être fusionnés.",
   "Estes membros pertencem a dois escritórios e não podem ser juntados.",
   "Estos miembros pertenecen a dos oficinas y no pueden fusionarse."},
  {"merge.refused.different_kinds", "A person cannot be merged with an organisation.",
   "Une personne ne peut pas être fusionnée avec une organisation.",
   "Uma pessoa não pode ser juntada com uma organização.",
   "Una persona no puede fusionarse con una organización."},
  {"merge.refused.keep_merged", "The member to keep was itself merged into another one. Reload the page.",
   "Le membre à garder a lui-même été fusionné dans un autre. Rechargez la page.",
   "O membro a manter já foi juntado a outro. Recarregue a página.",
   "El miembro a conservar ya se fusionó en otro. Recargue la página."},
  {"merge.refused.keep_voided", "The member to keep was deleted (voided). Keep the other one instead.",
   "Le membre à garder a été annulé. Gardez plutôt l'autre.",
   "O membro a manter foi anulado. Mantenha antes o outro.",
   "El miembro a conservar fue anulado. Conserve el otro."},
  {"merge.refused.merged_elsewhere", "The other member was already merged into someone else. Reload the page.",
   "L'autre membre a déjà été fusionné avec quelqu'un d'autre. Rechargez la page.",
   "O outro membro já foi juntado a outra pessoa. Recarregue a página.",
   "El otro miembro ya se fusionó con otra persona. Recargue la página."},
  // (end of duplicates and merge, bulk decisions, stock)
};
// clang-format on

}  // namespace

std::string_view code_of(Lang lang) {
  switch (lang) {
    case Lang::en:
      return "en";
    case Lang::fr:
      return "fr";
    case Lang::pt:
      return "pt";
    case Lang::es:
      return "es";
  }
  return "en";
}

std::optional<Lang> lang_from(std::string_view code) {
  const std::string primary = util::ascii_lower(util::trim_blanks(code.substr(0, code.find('-'))));
  if (primary == "en") return Lang::en;
  if (primary == "fr") return Lang::fr;
  if (primary == "pt") return Lang::pt;
  if (primary == "es") return Lang::es;
  return std::nullopt;
}

Lang lang_from_accept_language(std::string_view header) {
  // Bounded: a header is at most a few KiB (the server's header limit).
  std::optional<Lang> best;
  int best_q = 0;  // thousandths
  for (const auto& item : util::split(header, ',')) {
    const std::string_view entry(item);
    const auto semicolon = entry.find(';');
    const auto lang = lang_from(entry.substr(0, semicolon));
    if (!lang) continue;
    int q = 1000;
    if (semicolon != std::string_view::npos) {
      const std::string_view param = util::trim_blanks(entry.substr(semicolon + 1));
      if (param.starts_with("q=")) {
        const std::string_view value = param.substr(2);
        double parsed = 1.0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
        q = ec == std::errc{} ? static_cast<int>(parsed * 1000.0) : 0;
      }
    }
    if (q > best_q) {
      best = lang;
      best_q = q;
    }
  }
  return best.value_or(Lang::en);
}

std::string_view tr(Lang lang, std::string_view key) {
  for (const auto& row : kTable) {
    if (row.key != key) continue;
    std::string_view text;
    switch (lang) {
      case Lang::en:
        text = row.en;
        break;
      case Lang::fr:
        text = row.fr;
        break;
      case Lang::pt:
        text = row.pt;
        break;
      case Lang::es:
        text = row.es;
        break;
    }
    return text.empty() ? row.en : text;
  }
  return key;
}

}  // namespace alliance::central::console
