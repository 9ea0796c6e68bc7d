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

  {"nav.dashboard", "Dashboard", "Tableau de bord", "Painel", "Panel"},
  {"nav.members", "Members", "Membres", "Membros", "Miembros"},
  {"dash.title", "Dashboard", "Tableau de bord", "Painel", "Panel"},
  {"dash.totals", "{} members, {} check-ins, {} requests.", "{} membres, {} présences, {} demandes.",
   "{} membros, {} presenças, {} pedidos.", "{} miembros, {} asistencias, {} solicitudes."},
  {"dash.per_day", "Registrations per day (last 30 days)", "Inscriptions par jour (30 derniers jours)",
   "Inscrições por dia (últimos 30 dias)", "Inscripciones por día (últimos 30 días)"},
  {"dash.per_event", "Registrations per training event (top 20)",
   "Inscriptions par formation (les 20 premières)", "Inscrições por formação (as 20 primeiras)",
   "Inscripciones por formación (las 20 primeras)"},
  {"dash.per_event_day", "Attendance per event day (latest 20)",
   "Présences par jour de formation (les 20 derniers)",
   "Presenças por dia de formação (os 20 últimos)",
   "Asistencia por día de formación (los 20 últimos)"},
  {"dash.per_status", "Requests by status", "Demandes par statut", "Pedidos por estado",
   "Solicitudes por estado"},
  {"dash.numbers", "The numbers", "Les chiffres", "Os números", "Las cifras"},
  {"dash.count", "Count", "Nombre", "Número", "Número"},
  {"dash.day", "Day", "Jour", "Dia", "Día"},
  {"dash.event", "Event", "Formation", "Formação", "Formación"},
  {"dash.event_day", "Day and event", "Jour et formation", "Dia e formação", "Día y formación"},
  {"dash.empty", "Nothing yet.", "Rien pour l'instant.", "Nada por enquanto.", "Nada por ahora."},
  {"members.title", "Members", "Membres", "Membros", "Miembros"},
  {"members.search", "Name, phone, e-mail or reference code", "Nom, téléphone, e-mail ou code de référence",
   "Nome, telefone, e-mail ou código de referência", "Nombre, teléfono, correo o código de referencia"},
  {"members.country", "Country", "Pays", "País", "País"},
  {"members.event", "Event attended", "Formation suivie", "Formação frequentada", "Formación asistida"},
  {"members.role", "Role", "Fonction", "Função", "Función"},
  {"members.any", "Any", "Tous", "Todos", "Todos"},
  {"members.submit", "Search", "Rechercher", "Pesquisar", "Buscar"},
  {"members.none", "No members found.", "Aucun membre trouvé.", "Nenhum membro encontrado.",
   "No se encontraron miembros."},
  {"members.range", "Members {} to {} of {}.", "Membres {} à {} sur {}.", "Membros {} a {} de {}.",
   "Miembros {} a {} de {}."},
  {"members.back", "Back to the members", "Retour aux membres", "Voltar aos membros",
   "Volver a los miembros"},
  {"page.previous", "Previous", "Précédents", "Anteriores", "Anteriores"},
  {"page.next", "Next", "Suivants", "Seguintes", "Siguientes"},
  {"member.title", "Member", "Membre", "Membro", "Miembro"},
  {"member.not_found", "There is no such member.", "Ce membre n'existe pas.", "Esse membro não existe.",
   "Ese miembro no existe."},
  {"member.person", "Person", "Personne", "Pessoa", "Persona"},
  {"member.name", "Name", "Nom", "Nome", "Nombre"},
  {"member.kind", "Kind", "Type", "Tipo", "Tipo"},
  {"member.gender", "Gender", "Genre", "Género", "Género"},
  {"member.birth_year", "Year of birth", "Année de naissance", "Ano de nascimento", "Año de nacimiento"},
  {"member.contact_person", "Contact person", "Personne de contact", "Pessoa de contacto",
   "Persona de contacto"},
  {"member.phone", "Phone", "Téléphone", "Telefone", "Teléfono"},
  {"member.email", "E-mail", "E-mail", "E-mail", "Correo electrónico"},
  {"member.region", "Region", "Région", "Região", "Región"},
  {"member.organisation", "Organisation", "Organisation", "Organização", "Organización"},
  {"member.organisation_type", "Type of organisation", "Type d'organisation", "Tipo de organização",
   "Tipo de organización"},
  {"member.years_experience", "Years of experience", "Années d'expérience", "Anos de experiência",
   "Años de experiencia"},
  {"member.qualification", "Qualification", "Qualification", "Qualificação", "Titulación"},
  {"member.interest_groups", "Interest groups", "Groupes d'intérêt", "Grupos de interesse",
   "Grupos de interés"},
  {"member.e_updates", "Monthly e-update", "Lettre mensuelle", "Boletim mensal", "Boletín mensual"},
  {"member.preferred_language", "Preferred language", "Langue préférée", "Língua preferida",
   "Idioma preferido"},
  {"member.consent", "Consent", "Consentement", "Consentimento", "Consentimiento"},
  {"member.registered_at", "Registered at", "Inscrit à", "Inscrito em", "Inscrito en"},
  {"member.kind.individual", "individual", "individuel", "individual", "individual"},
  {"member.kind.organisation", "organisation", "organisation", "organização", "organización"},
  {"member.created", "Registered", "Inscrit le", "Inscrito em", "Inscrito el"},
  {"member.updated", "Updated", "Modifié", "Alterado", "Modificado"},
  {"member.yes", "yes", "oui", "sim", "sí"},
  {"member.no", "no", "non", "não", "no"},
  {"member.merged", "This member was merged into:", "Ce membre a été fusionné avec :",
   "Este membro foi fundido com:", "Este miembro se fusionó con:"},
  {"member.voided", "This member was voided:", "Ce membre a été annulé :", "Este membro foi anulado:",
   "Este miembro fue anulado:"},
  {"member.attendance", "Attendance", "Présences", "Presenças", "Asistencia"},
  {"member.no_attendance", "No attendance.", "Aucune présence.", "Nenhuma presença.", "Ninguna asistencia."},
  {"member.void_mark", "voided", "annulée", "anulada", "anulada"},
  {"member.requests", "Requests", "Demandes", "Pedidos", "Solicitudes"},
  {"member.no_requests", "No requests.", "Aucune demande.", "Nenhum pedido.", "No hay solicitudes."},
  {"member.history", "History of edits", "Historique des modifications", "Histórico de alterações",
   "Historial de cambios"},
  {"member.no_history", "No edits recorded.", "Aucune modification enregistrée.",
   "Nenhuma alteração registada.", "No hay cambios registrados."},
  {"member.when", "When", "Quand", "Quando", "Cuándo"},
  {"member.who", "Who", "Qui", "Quem", "Quién"},
  {"member.what", "What", "Quoi", "O quê", "Qué"},
  {"member.fields", "Fields", "Champs", "Campos", "Campos"},
  {"member.fields_all", "every field (created)", "tous les champs (création)",
   "todos os campos (criação)", "todos los campos (creación)"},
  {"member.fields_none", "none (newer values won)", "aucun (des valeurs plus récentes l'ont emporté)",
   "nenhum (valores mais recentes prevaleceram)", "ninguno (prevalecieron valores más recientes)"},
  {"member.fields_unknown", "not recorded", "non enregistrés", "não registados", "no registrados"},
  {"member.outcome.applied", "change applied", "modification appliquée", "alteração aplicada",
   "cambio aplicado"},
  {"member.outcome.conflict", "change applied in part (conflict)",
   "modification appliquée en partie (conflit)", "alteração aplicada em parte (conflito)",
   "cambio aplicado en parte (conflicto)"},
  {"member.outcome.rejected", "change refused", "modification refusée", "alteração recusada",
   "cambio rechazado"},
  {"member.outcome.duplicate", "change sent again", "modification renvoyée", "alteração reenviada",
   "cambio reenviado"},
  {"member.merged_from", "merged from", "fusionné depuis", "fundido a partir de", "fusionado desde"},
  {"member.merged_into", "merged into", "fusionné avec", "fundido com", "fusionado con"},
  // (end of dashboard and members)

  // --- devices, events and catalogue, exports (devices_page.cpp, events_page.cpp, exports_page.cpp) ---

  // (end of devices, events and catalogue, exports)

  // --- duplicates and merge, bulk decisions, stock (duplicates_page.cpp, requests_page.cpp) ---

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
