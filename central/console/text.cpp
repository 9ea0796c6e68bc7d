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

  {"nav.devices", "Devices", "Appareils", "Dispositivos", "Dispositivos"},
  {"nav.events", "Events", "Événements", "Eventos", "Eventos"},
  {"nav.catalogue", "Catalogue", "Catalogue", "Catálogo", "Catálogo"},
  {"nav.exports", "Exports", "Exports", "Exportações", "Exportaciones"},
  {"nav.audit", "Audit log", "Journal d'audit", "Registo de auditoria", "Registro de auditoría"},
  {"adm.cancel", "Cancel", "Annuler", "Cancelar", "Cancelar"},
  {"adm.edit", "Edit", "Modifier", "Editar", "Editar"},
  {"adm.save", "Save", "Enregistrer", "Guardar", "Guardar"},
  {"adm.never", "never", "jamais", "nunca", "nunca"},
  {"adm.err.required", "Required.", "Obligatoire.", "Obrigatório.", "Obligatorio."},
  {"adm.err.too_long", "Too long.", "Trop long.", "Demasiado longo.", "Demasiado largo."},
  {"adm.err.invalid", "Not valid.", "Non valide.", "Inválido.", "No válido."},
  {"adm.err.out_of_range", "Out of range (a last day before the first, or a negative number).",
   "Hors limites (dernier jour avant le premier, ou nombre négatif).",
   "Fora dos limites (último dia antes do primeiro, ou número negativo).",
   "Fuera de rango (último día antes del primero, o número negativo)."},
  {"adm.err.unknown_code", "Unknown code.", "Code inconnu.", "Código desconhecido.", "Código desconocido."},
  {"adm.err.control_characters", "Contains hidden control characters.",
   "Contient des caractères de contrôle cachés.", "Contém caracteres de controlo ocultos.",
   "Contiene caracteres de control ocultos."},
  {"err.invalid_utf8", "Contains unreadable characters.", "Contient des caractères illisibles.",
   "Contém caracteres ilegíveis.", "Contiene caracteres ilegibles."},
  {"adm.err.too_many", "Too many items.", "Trop d'éléments.", "Demasiados elementos.",
   "Demasiados elementos."},
  {"adm.err.office", "Give an office name of 1 to 100 characters, without repeated spaces.",
   "Indiquez un nom de bureau de 1 à 100 caractères, sans espaces répétées.",
   "Indique um nome de escritório de 1 a 100 caracteres, sem espaços repetidos.",
   "Indique un nombre de oficina de 1 a 100 caracteres, sin espacios repetidos."},
  {"adm.err.ttl", "A whole number of hours from 1 to 2160.", "Un nombre entier d'heures de 1 à 2160.",
   "Um número inteiro de horas de 1 a 2160.", "Un número entero de horas de 1 a 2160."},
  {"adm.err.number", "A whole number, 0 or more.", "Un nombre entier, 0 ou plus.",
   "Um número inteiro, 0 ou mais.", "Un número entero, 0 o más."},
  {"adm.err.date", "A date written YYYY-MM-DD.", "Une date écrite AAAA-MM-JJ.",
   "Uma data escrita AAAA-MM-DD.", "Una fecha escrita AAAA-MM-DD."},
  {"adm.err.date_order", "The last day is before the first.", "Le dernier jour précède le premier.",
   "O último dia é anterior ao primeiro.", "El último día es anterior al primero."},
  {"adm.err.no_event", "There is no such event in your offices.",
   "Cet événement n'existe pas dans vos bureaux.", "Esse evento não existe nos seus escritórios.",
   "Ese evento no existe en sus oficinas."},
  {"adm.err.stock_line", "Write each line as OFFICE = QUANTITY.",
   "Écrivez chaque ligne sous la forme BUREAU = QUANTITÉ.",
   "Escreva cada linha como ESCRITÓRIO = QUANTIDADE.",
   "Escriba cada línea como OFICINA = CANTIDAD."},
  {"adm.err.fix_fields", "Correct the fields marked below. Nothing was saved.",
   "Corrigez les champs signalés ci-dessous. Rien n'a été enregistré.",
   "Corrija os campos assinalados abaixo. Nada foi guardado.",
   "Corrija los campos señalados abajo. No se guardó nada."},
  {"devices.title", "Devices", "Appareils", "Dispositivos", "Dispositivos"},
  {"devices.none", "No devices.", "Aucun appareil.", "Nenhum dispositivo.", "No hay dispositivos."},
  {"devices.range", "Devices {} to {} of {}.", "Appareils {} à {} sur {}.",
   "Dispositivos {} a {} de {}.", "Dispositivos {} a {} de {}."},
  {"devices.queue_note",
   "Queue depth: the sync agents do not report their waiting changes to central yet. Each kiosk's sync panel and alliance-sync status show them.",
   "File d'attente : les agents de synchronisation ne signalent pas encore leurs changements en attente au serveur central. Le panneau de synchronisation de chaque borne et alliance-sync status les montrent.",
   "Fila de espera: os agentes de sincronização ainda não comunicam as alterações em espera ao servidor central. O painel de sincronização de cada quiosque e alliance-sync status mostram-nas.",
   "Cola de espera: los agentes de sincronización aún no informan de sus cambios pendientes al servidor central. El panel de sincronización de cada quiosco y alliance-sync status los muestran."},
  {"adm.col.device", "Device", "Appareil", "Dispositivo", "Dispositivo"},
  {"adm.col.app_version", "App version", "Version", "Versão", "Versión"},
  {"adm.col.enrolled", "Enrolled", "Inscrit", "Registado", "Registrado"},
  {"adm.col.last_contact", "Last contact", "Dernier contact", "Último contacto", "Último contacto"},
  {"adm.col.clock_offset", "Clock offset", "Décalage d'horloge", "Desvio do relógio",
   "Desfase del reloj"},
  {"adm.col.state", "State", "État", "Estado", "Estado"},
  {"devices.active", "active", "actif", "ativo", "activo"},
  {"devices.revoked", "revoked", "révoqué", "revogado", "revocado"},
  {"devices.revoke", "Revoke", "Révoquer", "Revogar", "Revocar"},
  {"devices.confirm_title", "Revoke this device?", "Révoquer cet appareil ?",
   "Revogar este dispositivo?", "¿Revocar este dispositivo?"},
  {"devices.confirm",
   "Device {} of office {} will be refused from its next sync on and must be enrolled again with a new code. Changes it has not sent yet stay on it.",
   "L'appareil {} du bureau {} sera refusé dès sa prochaine synchronisation et devra être inscrit à nouveau avec un nouveau code. Les changements qu'il n'a pas encore envoyés restent sur lui.",
   "O dispositivo {} do escritório {} será recusado a partir da próxima sincronização e terá de ser registado de novo com um novo código. As alterações que ainda não enviou ficam nele.",
   "El dispositivo {} de la oficina {} será rechazado desde su próxima sincronización y deberá registrarse de nuevo con un código nuevo. Los cambios que aún no envió se quedan en él."},
  {"devices.confirm_yes", "Yes, revoke it", "Oui, le révoquer", "Sim, revogar", "Sí, revocarlo"},
  {"devices.revoked_done", "Device {} is revoked.", "L'appareil {} est révoqué.",
   "O dispositivo {} foi revogado.", "El dispositivo {} está revocado."},
  {"devices.not_found", "There is no such device.", "Cet appareil n'existe pas.",
   "Esse dispositivo não existe.", "Ese dispositivo no existe."},
  {"devices.forbidden", "Your account may look at devices but not change them.",
   "Votre compte peut consulter les appareils mais pas les modifier.",
   "A sua conta pode ver os dispositivos, mas não alterá-los.",
   "Su cuenta puede ver los dispositivos, pero no cambiarlos."},
  {"enrol.title", "New enrolment code", "Nouveau code d'inscription", "Novo código de registo",
   "Nuevo código de registro"},
  {"enrol.ttl", "Valid for (hours, 1 to 2160)", "Valable (heures, 1 à 2160)",
   "Válido durante (horas, 1 a 2160)", "Válido durante (horas, 1 a 2160)"},
  {"enrol.submit", "Create a code", "Créer un code", "Criar um código", "Crear un código"},
  {"enrol.done",
   "Enrolment code for office {}, valid until {} (UTC). Type it on the kiosk when it asks to be enrolled. It is shown only this once and works once.",
   "Code d'inscription pour le bureau {}, valable jusqu'au {} (UTC). Saisissez-le sur la borne quand elle demande à être inscrite. Il n'est affiché qu'une fois et ne sert qu'une fois.",
   "Código de registo para o escritório {}, válido até {} (UTC). Escreva-o no quiosque quando este pedir o registo. Só é mostrado esta vez e só serve uma vez.",
   "Código de registro para la oficina {}, válido hasta {} (UTC). Escríbalo en el quiosco cuando pida registrarse. Solo se muestra esta vez y sirve una sola vez."},
  {"enrol.back", "Back to the devices", "Retour aux appareils", "Voltar aos dispositivos",
   "Volver a los dispositivos"},
  {"events.title", "Training events", "Formations", "Formações", "Formaciones"},
  {"events.none", "No events.", "Aucun événement.", "Nenhum evento.", "No hay eventos."},
  {"events.range", "Events {} to {} of {}.", "Événements {} à {} sur {}.", "Eventos {} a {} de {}.",
   "Eventos {} a {} de {}."},
  {"events.new", "New event", "Nouvel événement", "Novo evento", "Nuevo evento"},
  {"events.edit", "Edit the event", "Modifier l'événement", "Editar o evento", "Editar el evento"},
  {"events.done", "Event {} is saved; kiosks get it at their next sync.",
   "L'événement {} est enregistré ; les bornes le reçoivent à leur prochaine synchronisation.",
   "O evento {} foi guardado; os quiosques recebem-no na próxima sincronização.",
   "El evento {} está guardado; los quioscos lo reciben en su próxima sincronización."},
  {"events.not_found", "There is no such event.", "Cet événement n'existe pas.",
   "Esse evento não existe.", "Ese evento no existe."},
  {"events.forbidden", "Your account may look at events but not change them.",
   "Votre compte peut consulter les événements mais pas les modifier.",
   "A sua conta pode ver os eventos, mas não alterá-los.",
   "Su cuenta puede ver los eventos, pero no cambiarlos."},
  {"adm.field.name", "Name", "Nom", "Nome", "Nombre"},
  {"adm.field.kind", "Kind", "Type", "Tipo", "Tipo"},
  {"adm.kind.training", "training", "formation", "formação", "formación"},
  {"adm.kind.webinar", "webinar", "webinaire", "webinar", "seminario web"},
  {"adm.field.place", "Place", "Lieu", "Local", "Lugar"},
  {"adm.field.country", "Country (ISO code, e.g. KE)", "Pays (code ISO, p. ex. SN)",
   "País (código ISO, p. ex. MZ)", "País (código ISO, p. ej. BO)"},
  {"adm.field.start_date", "First day (YYYY-MM-DD)", "Premier jour (AAAA-MM-JJ)",
   "Primeiro dia (AAAA-MM-DD)", "Primer día (AAAA-MM-DD)"},
  {"adm.field.end_date", "Last day (YYYY-MM-DD)", "Dernier jour (AAAA-MM-JJ)",
   "Último dia (AAAA-MM-DD)", "Último día (AAAA-MM-DD)"},
  {"adm.field.organiser", "Organiser", "Organisateur", "Organizador", "Organizador"},
  {"adm.field.office", "Office", "Bureau", "Escritório", "Oficina"},
  {"adm.event_cancelled", "cancelled", "annulé", "cancelado", "cancelado"},
  {"adm.field.voided", "Cancelled (kiosks no longer offer it)", "Annulé (les bornes ne le proposent plus)",
   "Cancelado (os quiosques deixam de o oferecer)", "Cancelado (los quioscos dejan de ofrecerlo)"},
  {"adm.col.name", "Name", "Nom", "Nome", "Nombre"},
  {"adm.col.dates", "Dates", "Dates", "Datas", "Fechas"},
  {"adm.col.place", "Place", "Lieu", "Local", "Lugar"},
  {"catalogue.title", "Resource packs", "Kits de ressources", "Kits de recursos",
   "Kits de recursos"},
  {"catalogue.none", "No packs.", "Aucun kit.", "Nenhum kit.", "No hay kits."},
  {"catalogue.range", "Packs {} to {} of {}.", "Kits {} à {} sur {}.", "Kits {} a {} de {}.",
   "Kits {} a {} de {}."},
  {"catalogue.new", "New pack", "Nouveau kit", "Novo kit", "Nuevo kit"},
  {"catalogue.edit", "Edit the pack", "Modifier le kit", "Editar o kit", "Editar el kit"},
  {"catalogue.done", "Pack {} is saved; kiosks get it at their next sync.",
   "Le kit {} est enregistré ; les bornes le reçoivent à leur prochaine synchronisation.",
   "O kit {} foi guardado; os quiosques recebem-no na próxima sincronização.",
   "El kit {} está guardado; los quioscos lo reciben en su próxima sincronización."},
  {"catalogue.not_found", "There is no such pack.", "Ce kit n'existe pas.", "Esse kit não existe.",
   "Ese kit no existe."},
  {"catalogue.forbidden", "Your account may look at the catalogue but not change it.",
   "Votre compte peut consulter le catalogue mais pas le modifier.",
   "A sua conta pode ver o catálogo, mas não alterá-lo.",
   "Su cuenta puede ver el catálogo, pero no cambiarlo."},
  {"catalogue.id_taken", "A pack with this id exists already: edit it instead.",
   "Un kit avec cet identifiant existe déjà : modifiez-le plutôt.",
   "Já existe um kit com este identificador: edite-o.",
   "Ya existe un kit con este identificador: edítelo."},
  {"adm.field.pack_id", "Catalogue id (letters, digits, - and _)",
   "Identifiant (lettres, chiffres, - et _)", "Identificador (letras, algarismos, - e _)",
   "Identificador (letras, dígitos, - y _)"},
  {"adm.field.title", "Title", "Titre", "Título", "Título"},
  {"adm.field.languages", "Languages (ISO codes, e.g. en, fr)", "Langues (codes ISO, p. ex. fr, en)",
   "Línguas (códigos ISO, p. ex. pt, en)", "Idiomas (códigos ISO, p. ej. es, en)"},
  {"adm.field.format", "Format", "Format", "Formato", "Formato"},
  {"adm.format.print", "print", "imprimé", "impresso", "impreso"},
  {"adm.format.digital", "digital", "numérique", "digital", "digital"},
  {"adm.pack_retired", "retired", "retiré", "retirado", "retirado"},
  {"adm.field.retired", "Retired (no longer offered)", "Retiré (plus proposé)",
   "Retirado (já não é oferecido)", "Retirado (ya no se ofrece)"},
  {"adm.field.stock", "Stock per office, one line each: OFFICE = QUANTITY",
   "Stock par bureau, une ligne chacun : BUREAU = QUANTITÉ",
   "Stock por escritório, uma linha cada: ESCRITÓRIO = QUANTIDADE",
   "Existencias por oficina, una línea cada una: OFICINA = CANTIDAD"},
  {"adm.field.office_stock", "Stock in office {}", "Stock du bureau {}", "Stock do escritório {}",
   "Existencias de la oficina {}"},
  {"adm.col.id", "Id", "Identifiant", "Identificador", "Identificador"},
  {"adm.col.title", "Title", "Titre", "Título", "Título"},
  {"adm.col.languages", "Languages", "Langues", "Línguas", "Idiomas"},
  {"adm.col.format", "Format", "Format", "Formato", "Formato"},
  {"adm.col.stock", "Stock", "Stock", "Stock", "Existencias"},
  {"exports.title", "Exports", "Exports", "Exportações", "Exportaciones"},
  {"exports.intro",
   "CSV files of your offices' records: UTF-8 with a byte-order mark, safe to open in a spreadsheet. Dates filter members by registration, requests by creation and attendance by day.",
   "Fichiers CSV des données de vos bureaux : UTF-8 avec indicateur d'ordre des octets, sûrs à ouvrir dans un tableur. Les dates filtrent les membres par inscription, les demandes par création et les présences par jour.",
   "Ficheiros CSV dos registos dos seus escritórios: UTF-8 com marca de ordem de bytes, seguros para abrir numa folha de cálculo. As datas filtram os membros pelo registo, os pedidos pela criação e as presenças pelo dia.",
   "Archivos CSV de los registros de sus oficinas: UTF-8 con marca de orden de bytes, seguros para abrir en una hoja de cálculo. Las fechas filtran a los miembros por registro, las solicitudes por creación y la asistencia por día."},
  {"exports.what", "What", "Quoi", "O quê", "Qué"},
  {"exports.members", "Members", "Membres", "Membros", "Miembros"},
  {"exports.requests", "Requests", "Demandes", "Pedidos", "Solicitudes"},
  {"exports.attendance", "Attendance", "Présences", "Presenças", "Asistencia"},
  {"exports.office", "Office (empty: every office)", "Bureau (vide : tous les bureaux)",
   "Escritório (vazio: todos os escritórios)", "Oficina (vacío: todas las oficinas)"},
  {"exports.from", "From (YYYY-MM-DD)", "Du (AAAA-MM-JJ)", "De (AAAA-MM-DD)", "Desde (AAAA-MM-DD)"},
  {"exports.to", "To (YYYY-MM-DD)", "Au (AAAA-MM-JJ)", "Até (AAAA-MM-DD)", "Hasta (AAAA-MM-DD)"},
  {"exports.event", "Training event", "Formation", "Formação", "Formación"},
  {"exports.any_event", "any event", "tous les événements", "qualquer evento", "cualquier evento"},
  {"exports.submit", "Download the CSV file", "Télécharger le fichier CSV",
   "Descarregar o ficheiro CSV", "Descargar el archivo CSV"},
  {"audit.title", "Audit log", "Journal d'audit", "Registo de auditoria", "Registro de auditoría"},
  {"audit.none", "No entries.", "Aucune entrée.", "Nenhuma entrada.", "No hay entradas."},
  {"audit.range", "Entries {} to {} of {}, newest first.", "Entrées {} à {} sur {}, les plus récentes d'abord.",
   "Entradas {} a {} de {}, as mais recentes primeiro.",
   "Entradas {} a {} de {}, las más recientes primero."},
  {"audit.download", "Download the whole log as CSV", "Télécharger tout le journal en CSV",
   "Descarregar todo o registo em CSV", "Descargar todo el registro en CSV"},
  {"audit.forbidden", "Only administrators may read the audit log.",
   "Seuls les administrateurs peuvent lire le journal d'audit.",
   "Só os administradores podem ler o registo de auditoria.",
   "Solo los administradores pueden leer el registro de auditoría."},
  {"adm.col.at", "When", "Quand", "Quando", "Cuándo"},
  {"adm.col.actor", "Who", "Qui", "Quem", "Quién"},
  {"adm.col.action", "What", "Quoi", "O quê", "Qué"},
  {"adm.col.target", "Target", "Cible", "Alvo", "Objeto"},
  {"adm.col.address", "Address", "Adresse", "Endereço", "Dirección"},
  {"adm.col.change", "Before → after", "Avant → après", "Antes → depois", "Antes → después"},
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
