# Debian packages, built by CPack from the same build as everything else:
#
#   alliance-common   the service user and group `alliance`, /var/lib/alliance
#                     (2770 alliance:alliance, setgid: see docs/ARCHITECTURE.md,
#                     "The device store"), its tmpfiles.d entry; Architecture: all
#   alliance-kiosk    /usr/bin/alliance-kiosk, /etc/alliance/kiosk.conf, the kiosk
#                     session unit (cage on tty1) and its launcher, .desktop, icons
#   alliance-sync     /usr/bin/alliance-sync, /etc/alliance/sync.conf, alliance-sync.service
#   alliance-central  /usr/bin/alliance-central, /etc/alliance/central.conf,
#                     alliance-central.service
#
# cmake --build BUILD --target package    (or: cd BUILD && cpack -G DEB)
# writes BUILD/packages/alliance-*_<version>-<revision>_<arch>.deb.
# Maintainer scripts and conffiles lists live in installer/debian/<package>/;
# tests/package/ builds, lints, installs, removes and purges the packages.
include(GNUInstallDirs)

set(ALLIANCE_PACKAGE_MAINTAINER "Alliance Field Kit maintainers <fieldkit@example.org>"
    CACHE STRING "Maintainer field of the Debian packages (name <e-mail>)")
set(ALLIANCE_PACKAGE_HOMEPAGE "https://example.org/alliance-field-kit"
    CACHE STRING "Homepage field of the Debian packages")
set(ALLIANCE_DEBIAN_REVISION "1" CACHE STRING "Debian revision appended to the project version")

set(_deb_version "${PROJECT_VERSION}-${ALLIANCE_DEBIAN_REVISION}")
set(_installer "${PROJECT_SOURCE_DIR}/installer")
set(_pkg_build "${PROJECT_BINARY_DIR}/packaging")
set(_unitdir "/lib/systemd/system")  # Debian 12: units stay in /lib (usrmerge moratorium)
set(_confdir "/etc/alliance")

# Every file the packages need from outside this folder, so a missing one fails
# at configure time with its name, not deep inside cpack.
function(_alliance_require_file path)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "Packaging: ${path} is missing (see cmake/Packaging.cmake)")
  endif()
endfunction()

# --- /usr/share/doc/<package>/{copyright,changelog.Debian.gz} -----------------
# The changelog is generated: one entry for this version (gzip -9n, no timestamp
# in the gzip header, as lintian wants). SOURCE_DATE_EPOCH makes it reproducible.
string(TIMESTAMP _changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
function(_alliance_package_docs package component)
  set(dir "${_pkg_build}/doc/${package}")
  file(MAKE_DIRECTORY "${dir}")
  file(WRITE "${dir}/changelog.Debian"
       "${package} (${_deb_version}) unstable; urgency=medium\n\n"
       "  * Alliance Field Kit ${PROJECT_VERSION}, packaged by CPack from the project's\n"
       "    CMake build (cmake/Packaging.cmake).\n\n"
       " -- ${ALLIANCE_PACKAGE_MAINTAINER}  ${_changelog_date}\n")
  execute_process(COMMAND gzip -9nf "${dir}/changelog.Debian" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "Packaging: gzip failed on ${dir}/changelog.Debian")
  endif()
  install(FILES "${_installer}/debian/copyright" "${dir}/changelog.Debian.gz"
          DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/${package}" COMPONENT ${component})
  # These packages are not uploads to Debian, so there is no ITP bug to close.
  file(WRITE "${_pkg_build}/lintian/${package}"
       "${package}: initial-upload-closes-no-bugs [usr/share/doc/${package}/changelog.Debian.gz:1]\n")
  install(FILES "${_pkg_build}/lintian/${package}"
          DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides" COMPONENT ${component})
endfunction()

# --- manual pages, from each program's --help ---------------------------------
function(_alliance_man_page target component summary)
  set(out "${_pkg_build}/man/${target}.1.gz")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}" "-DPROGRAM=$<TARGET_FILE:${target}>" "-DNAME=${target}"
            "-DSUMMARY=${summary}" "-DVERSION=${PROJECT_VERSION}" "-DOUTPUT=${out}"
            -P "${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake"
    DEPENDS ${target} "${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake"
    COMMENT "Writing the manual page of ${target}"
    VERBATIM)
  add_custom_target(${target}-manpage ALL DEPENDS "${out}")
  install(FILES "${out}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT ${component})
endfunction()

# --- what goes where -------------------------------------------------------------
_alliance_require_file("${_installer}/debian/copyright")
foreach(f systemd/alliance-sync.service systemd/alliance-central.service
          config/central.conf config/sync.conf config/kiosk.conf
          kiosk-session/alliance-kiosk-session.service)
  _alliance_require_file("${_installer}/${f}")
endforeach()
foreach(f alliance-kiosk.desktop icons/alliance-kiosk.svg)
  _alliance_require_file("${PROJECT_SOURCE_DIR}/assets/${f}")
endforeach()

# alliance-common
install(FILES "${_installer}/debian/alliance-common/alliance.tmpfiles"
        DESTINATION "/usr/lib/tmpfiles.d" RENAME alliance.conf COMPONENT common)
_alliance_package_docs(alliance-common common)

# alliance-kiosk
_alliance_man_page(alliance-kiosk kiosk "registration, check-in and resource desk kiosk")
install(FILES "${_installer}/config/kiosk.conf" DESTINATION "${_confdir}" COMPONENT kiosk)
install(FILES "${_installer}/kiosk-session/alliance-kiosk-session.service"
        DESTINATION "${_unitdir}" COMPONENT kiosk)
# Everything else in installer/kiosk-session/ is the session's launcher(s).
file(GLOB _session_programs CONFIGURE_DEPENDS "${_installer}/kiosk-session/*")
list(FILTER _session_programs EXCLUDE REGEX "\\.(service|md|txt)$")
if(NOT _session_programs)
  message(FATAL_ERROR "Packaging: no launcher script in ${_installer}/kiosk-session/")
endif()
# The unit runs /usr/lib/alliance/alliance-kiosk-launch.
install(PROGRAMS ${_session_programs} DESTINATION "lib/alliance" COMPONENT kiosk)
install(FILES "${PROJECT_SOURCE_DIR}/assets/alliance-kiosk.desktop"
        DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/applications" COMPONENT kiosk)
install(FILES "${PROJECT_SOURCE_DIR}/assets/icons/alliance-kiosk.svg"
        DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps" COMPONENT kiosk)
foreach(_png alliance-kiosk.png alliance-kiosk-256.png 256x256/alliance-kiosk.png)
  if(EXISTS "${PROJECT_SOURCE_DIR}/assets/icons/${_png}")
    install(FILES "${PROJECT_SOURCE_DIR}/assets/icons/${_png}"
            DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/256x256/apps"
            RENAME alliance-kiosk.png COMPONENT kiosk)
    break()
  endif()
endforeach()
_alliance_package_docs(alliance-kiosk kiosk)

# alliance-sync
_alliance_man_page(alliance-sync sync "background sync agent of Alliance Field Kit")
install(FILES "${_installer}/config/sync.conf" DESTINATION "${_confdir}" COMPONENT sync)
install(FILES "${_installer}/systemd/alliance-sync.service" DESTINATION "${_unitdir}"
        COMPONENT sync)
_alliance_package_docs(alliance-sync sync)

# alliance-central
_alliance_man_page(alliance-central central "central API v1 server of Alliance Field Kit")
install(FILES "${_installer}/config/central.conf" DESTINATION "${_confdir}" COMPONENT central)
install(FILES "${_installer}/systemd/alliance-central.service" DESTINATION "${_unitdir}"
        COMPONENT central)
_alliance_package_docs(alliance-central central)

# --- CPack -------------------------------------------------------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "alliance")
set(CPACK_PACKAGE_VENDOR "Alliance Field Kit")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
# Each package's description below starts with its own synopsis line. CPack
# would put a project-wide summary in front of it unless the summary is CPack's
# own default, so it is set to exactly that.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_CONTACT "${ALLIANCE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_OUTPUT_FILE_PREFIX "${PROJECT_BINARY_DIR}/packages")
set(CPACK_STRIP_FILES ON)  # lintian: unstripped-binary-or-object is an error
set(CPACK_COMPONENTS_ALL common kiosk sync central)
set(CPACK_DEB_COMPONENT_INSTALL ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE "${ALLIANCE_DEBIAN_REVISION}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ALLIANCE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${ALLIANCE_PACKAGE_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# dpkg-shlibdeps computes the library Depends: among them libphonenumber8
# and libidn2-0 (phone and e-mail validation in common/), which listing here
# as well would only repeat (tests/package checks they are there).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)  # 0755 scripts, 0644 conffiles
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")

set(_common_dep "alliance-common (= ${_deb_version})")

set(CPACK_DEBIAN_COMMON_PACKAGE_NAME "alliance-common")
set(CPACK_DEBIAN_COMMON_PACKAGE_ARCHITECTURE "all")
set(CPACK_DEBIAN_COMMON_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_COMMON_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_COMMON_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_COMMON_DESCRIPTION
"shared user and state folder of Alliance Field Kit
Alliance Field Kit is an offline registration kiosk, sync agent and central
API for the social service workforce.

This package creates the system user and group 'alliance' and the state
folder /var/lib/alliance (mode 2770, setgid), where the kiosk and the sync
agent share their database. Add the kiosk's desktop user to the group
'alliance'. Purging it removes the user, the group and all state.")

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME "alliance-kiosk")
set(CPACK_DEBIAN_KIOSK_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "${_common_dep}, adduser, fonts-noto-core, fonts-noto-cjk")
set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "cage, xwayland, alliance-sync")
set(CPACK_DEBIAN_KIOSK_DESCRIPTION
"offline registration and check-in kiosk for trainings
Alliance Field Kit is an offline registration kiosk, sync agent and central
API for the social service workforce.

This package provides alliance-kiosk, a touch- and keyboard-friendly desk
for member registration, daily check-in and resource pack requests that
works for days without a network, with a PIN-protected staff mode. It also
provides a kiosk session (the cage compositor on tty1) that boots straight
into the kiosk.")

set(CPACK_DEBIAN_SYNC_PACKAGE_NAME "alliance-sync")
set(CPACK_DEBIAN_SYNC_PACKAGE_SECTION "net")
# libsodium23: USB bundles are signed with Ed25519 (common/bundle); named as
# central's is, although shlibdeps finds it too.
set(CPACK_DEBIAN_SYNC_PACKAGE_DEPENDS "${_common_dep}, libsodium23")
set(CPACK_DEBIAN_SYNC_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_SYNC_DESCRIPTION
"background sync agent for the Alliance Field Kit kiosk
Alliance Field Kit is an offline registration kiosk, sync agent and central
API for the social service workforce.

This package provides alliance-sync and its systemd service: it pushes what
the kiosk saved to the central API whenever a network appears, pulls what
changed centrally, and retries with backoff over slow or flaky links. Where
there is no network at all, it carries changes to central and back in signed
USB bundles.")

set(CPACK_DEBIAN_CENTRAL_PACKAGE_NAME "alliance-central")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_SECTION "net")
# libpq5 (the PostgreSQL backend) is named although shlibdeps finds it too:
# the package must not lose it if central is ever linked differently.
set(CPACK_DEBIAN_CENTRAL_PACKAGE_DEPENDS "${_common_dep}, libpq5, libsodium23")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_SUGGESTS "postgresql")
set(CPACK_DEBIAN_CENTRAL_DESCRIPTION
"central API server for Alliance Field Kit
Alliance Field Kit is an offline registration kiosk, sync agent and central
API for the social service workforce.

This package provides alliance-central and its systemd service: the
reference implementation of the Alliance API v1 that kiosks sync with, and
its admin commands (enrolment codes, catalogue import, request decisions,
exports).")

# Maintainer scripts and the conffiles lists (CPack marks nothing as a conffile
# by itself).
foreach(_comp common kiosk sync central)
  string(TOUPPER "${_comp}" _COMP)
  set(_extra "")
  foreach(_script postinst prerm postrm conffiles)
    if(EXISTS "${_installer}/debian/alliance-${_comp}/${_script}")
      list(APPEND _extra "${_installer}/debian/alliance-${_comp}/${_script}")
    endif()
  endforeach()
  set(CPACK_DEBIAN_${_COMP}_PACKAGE_CONTROL_EXTRA "${_extra}")
endforeach()

include(CPack)
