/* The command-line options shared by the desktop app and headless mode. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JARCHI_DEFAULT_DASHBOARD_ADDRESS "127.0.0.1"
#define JARCHI_DEFAULT_DASHBOARD_PORT    8089
#define JARCHI_DEFAULT_SIP_ADDRESS       "127.0.0.1"
#define JARCHI_DEFAULT_SIP_PORT          0

typedef struct {
  char     *data_dir;
  char     *demo_env;
  char     *dashboard_address;
  guint     dashboard_port;
  gboolean  headless;
  gboolean  print_token;
  gboolean  version;
  gboolean  no_dashboard;
  gboolean  set_dashboard_password;
  char     *dashboard_tls_cert;  /* both or neither */
  char     *dashboard_tls_key;
  char     *sip_address;
  guint     sip_port;            /* 0: any free port */
} JarchiOptions;

void           jarchi_options_add_entries (GApplication  *app);
JarchiOptions *jarchi_options_from_dict   (GVariantDict  *dict,
                                           GError       **error);
void           jarchi_options_free        (JarchiOptions *options);
gboolean       jarchi_options_wants_headless (int            argc,
                                              char         **argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiOptions, jarchi_options_free)

G_END_DECLS
