/* JarchiResultsChart: bars drawn with GtkSnapshot and Pango, with every number written next to its bar. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-results-chart.h"

#define PAD        12.0
#define ROW_H      26.0
#define BAR_H      16.0
#define TITLE_H    30.0
#define TIME_H     130.0
#define MAX_BUCKETS 12

struct _JarchiResultsChart
{
  GtkWidget            parent_instance;

  JarchiCampaignStats *stats;
  GArray              *ended_at;
  char                *summary;
};

G_DEFINE_FINAL_TYPE (JarchiResultsChart, jarchi_results_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Colours that read on both the light and the dark style (GNOME palette, mid tones). */
static const GdkRGBA result_colors[JARCHI_N_TARGET_RESULTS] = {
  [JARCHI_TARGET_RESULT_PENDING]     = { 0.60, 0.60, 0.63, 1 },
  [JARCHI_TARGET_RESULT_CALLING]     = { 0.21, 0.52, 0.89, 1 },
  [JARCHI_TARGET_RESULT_CONFIRMED]   = { 0.15, 0.64, 0.41, 1 },
  [JARCHI_TARGET_RESULT_HEARD]       = { 0.34, 0.77, 0.55, 1 },
  [JARCHI_TARGET_RESULT_NO_ANSWER]   = { 0.90, 0.65, 0.04, 1 },
  [JARCHI_TARGET_RESULT_BUSY]        = { 1.00, 0.47, 0.00, 1 },
  [JARCHI_TARGET_RESULT_FAILED]      = { 0.88, 0.11, 0.14, 1 },
  [JARCHI_TARGET_RESULT_HUNG_UP]     = { 0.57, 0.25, 0.67, 1 },
  [JARCHI_TARGET_RESULT_OPTED_OUT]   = { 0.75, 0.38, 0.65, 1 },
  [JARCHI_TARGET_RESULT_DO_NOT_CALL] = { 0.47, 0.46, 0.48, 1 },
};

const char *
jarchi_results_chart_result_label (JarchiTargetResult result)
{
  switch (result)
    {
    case JARCHI_TARGET_RESULT_PENDING: return _("Waiting");
    case JARCHI_TARGET_RESULT_CALLING: return _("Calling");
    case JARCHI_TARGET_RESULT_CONFIRMED: return _("Confirmed");
    case JARCHI_TARGET_RESULT_HEARD: return _("Heard");
    case JARCHI_TARGET_RESULT_NO_ANSWER: return _("No answer");
    case JARCHI_TARGET_RESULT_BUSY: return _("Busy");
    case JARCHI_TARGET_RESULT_FAILED: return _("Failed");
    case JARCHI_TARGET_RESULT_HUNG_UP: return _("Hung up");
    case JARCHI_TARGET_RESULT_OPTED_OUT: return _("Opted out");
    case JARCHI_TARGET_RESULT_DO_NOT_CALL: return _("Do not call");
    case JARCHI_N_TARGET_RESULTS:
    default:
      return "";
    }
}

/* ---- the time series ---------------------------------------------------------------------- */

typedef struct {
  gint64 first;
  guint  step_s;
  guint  n;
  guint  counts[MAX_BUCKETS];
} Timeline;

static void
bucket_timeline (JarchiResultsChart *self, Timeline *tl)
{
  static const guint steps[] = { 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 86400, 7 * 86400 };
  gint64 first = G_MAXINT64, last = 0;

  memset (tl, 0, sizeof *tl);
  if (self->ended_at == NULL || self->ended_at->len == 0)
    return;
  for (guint i = 0; i < self->ended_at->len; i++)
    {
      gint64 t = g_array_index (self->ended_at, gint64, i);
      first = MIN (first, t);
      last = MAX (last, t);
    }
  /* The smallest round step that fits the whole span in MAX_BUCKETS bars. */
  tl->step_s = steps[G_N_ELEMENTS (steps) - 1];
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if ((last - first) / steps[i] < MAX_BUCKETS)
      {
        tl->step_s = steps[i];
        break;
      }
  tl->first = first - first % tl->step_s;
  tl->n = MIN (MAX_BUCKETS, (guint) ((last - tl->first) / tl->step_s) + 1);
  for (guint i = 0; i < self->ended_at->len; i++)
    {
      gint64 t = g_array_index (self->ended_at, gint64, i);
      guint b = MIN (tl->n - 1, (guint) ((t - tl->first) / tl->step_s));
      tl->counts[b]++;
    }
}

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (t);

  return dt ? g_date_time_format (dt, "%H:%M") : g_strdup ("");
}

/* ---- summary (accessible description) ----------------------------------------------------- */

static guint
group_reached (const JarchiCampaignGroupStats *g)
{
  guint n = 0;

  for (guint r = 0; r < JARCHI_N_TARGET_RESULTS; r++)
    if (jarchi_target_result_is_answered (r))
      n += g->results[r];
  return n;
}

static void
append_groups (GString *s, const char *title, GPtrArray *groups)
{
  if (groups == NULL || groups->len == 0)
    return;
  g_string_append_printf (s, " %s:", title);
  for (guint i = 0; i < groups->len; i++)
    {
      const JarchiCampaignGroupStats *g = g_ptr_array_index (groups, i);
      /* TRANSLATORS: a department or district: its name, targets reached, all its targets */
      g_string_append_printf (s, _(" %s %u of %u reached;"), g->name, group_reached (g), g->total);
    }
}

static void
update_summary (JarchiResultsChart *self)
{
  g_autoptr(GString) s = g_string_new (NULL);
  Timeline tl;

  if (self->stats == NULL || self->stats->total == 0)
    g_string_append (s, _("No targets yet."));
  else
    {
      g_string_append_printf (s, _("Results of %u targets:"), self->stats->total);
      for (guint r = 0; r < JARCHI_N_TARGET_RESULTS; r++)
        if (self->stats->results[r] > 0)
          g_string_append_printf (s, " %s %u;", jarchi_results_chart_result_label (r), self->stats->results[r]);
      bucket_timeline (self, &tl);
      if (tl.n > 0)
        {
          guint sum = 0;

          for (guint b = 0; b < tl.n; b++)
            sum += tl.counts[b];
          g_string_append_printf (s, _(" Over time: %u ended in %u bars of %u min;"),
                                  sum, tl.n, tl.step_s / 60);
        }
      append_groups (s, _("Departments"), self->stats->departments);
      append_groups (s, _("Districts"), self->stats->districts);
    }
  if (g_strcmp0 (s->str, self->summary) == 0)
    return;
  g_free (self->summary);
  self->summary = g_strdup (s->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->summary, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

/* ---- drawing -------------------------------------------------------------------------------- */

static guint
n_group_rows (GPtrArray *groups)
{
  return groups && groups->len ? groups->len : 0;
}

static guint
n_result_rows (JarchiResultsChart *self)
{
  guint n = 0;

  if (self->stats == NULL)
    return 0;
  for (guint r = 0; r < JARCHI_N_TARGET_RESULTS; r++)
    n += self->stats->results[r] > 0;
  return n;
}

static int
content_height (JarchiResultsChart *self)
{
  double h = PAD;

  if (self->stats == NULL || self->stats->total == 0)
    return (int) (TITLE_H + 2 * PAD);
  h += TITLE_H + n_result_rows (self) * ROW_H;
  if (self->ended_at && self->ended_at->len)
    h += TITLE_H + TIME_H;
  if (n_group_rows (self->stats->departments))
    h += TITLE_H + n_group_rows (self->stats->departments) * ROW_H;
  if (n_group_rows (self->stats->districts))
    h += TITLE_H + n_group_rows (self->stats->districts) * ROW_H;
  return (int) (h + PAD);
}

static void
jarchi_results_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                              int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  JarchiResultsChart *self = JARCHI_RESULTS_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 560;
    }
  else
    *minimum = *natural = content_height (self);
}

static void
draw_text (GtkWidget *widget, GtkSnapshot *snapshot, const char *text, double x, double y,
           double max_width, gboolean bold, gboolean right_align, const GdkRGBA *color)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  int w, h;

  if (bold)
    {
      g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", text);
      pango_layout_set_markup (layout, markup, -1);
    }
  else
    pango_layout_set_text (layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) (right_align ? x - w : x), (float) (y - h / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
draw_rect (GtkSnapshot *snapshot, const GdkRGBA *color, double x, double y, double w, double h)
{
  if (w <= 0 || h <= 0)
    return;
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) w, (float) h));
}

/* One labelled horizontal bar made of @n_parts stacked parts, its number on the right. */
static void
draw_bar_row (GtkWidget *widget, GtkSnapshot *snapshot, double y, double width, const char *label,
              const guint *parts, const GdkRGBA *colors, guint n_parts, guint scale, const char *number,
              const GdkRGBA *fg)
{
  double label_w = MIN (180.0, width * 0.32), number_w = 90.0;
  double bar_x = PAD + label_w + 8, bar_w = width - bar_x - number_w - PAD;
  GdkRGBA track = *fg;
  double x = bar_x;

  track.alpha = 0.08;
  draw_text (widget, snapshot, label, PAD, y + ROW_H / 2, label_w, FALSE, FALSE, fg);
  draw_rect (snapshot, &track, bar_x, y + (ROW_H - BAR_H) / 2, bar_w, BAR_H);
  for (guint i = 0; i < n_parts && scale > 0; i++)
    {
      double w = bar_w * parts[i] / scale;
      draw_rect (snapshot, &colors[i], x, y + (ROW_H - BAR_H) / 2, w, BAR_H);
      x += w;
    }
  draw_text (widget, snapshot, number, x + 6, y + ROW_H / 2, number_w, TRUE, FALSE, fg);
}

static double
draw_groups (GtkWidget *widget, GtkSnapshot *snapshot, double y, double width, const char *title,
             GPtrArray *groups, const GdkRGBA *fg)
{
  static const GdkRGBA colors[3] = { { 0.15, 0.64, 0.41, 1 }, { 1.00, 0.47, 0.00, 1 }, { 0.47, 0.46, 0.48, 1 } };

  if (n_group_rows (groups) == 0)
    return y;
  const char *legend[3] = { _("reached"), _("not reached"), _("do not call") };
  double lx = width - PAD;

  draw_text (widget, snapshot, title, PAD, y + TITLE_H / 2, -1, TRUE, FALSE, fg);
  /* The legend, right-aligned on the title line, last entry first. */
  for (int i = 2; i >= 0 && width > 520; i--)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (widget, legend[i]);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      g_object_unref (layout);
      draw_text (widget, snapshot, legend[i], lx, y + TITLE_H / 2, -1, FALSE, TRUE, fg);
      lx -= w + 6;
      draw_rect (snapshot, &colors[i], lx - 10, y + TITLE_H / 2 - 5, 10, 10);
      lx -= 24;
    }
  y += TITLE_H;
  for (guint i = 0; i < groups->len; i++)
    {
      const JarchiCampaignGroupStats *g = g_ptr_array_index (groups, i);
      guint parts[3] = { group_reached (g), 0, g->results[JARCHI_TARGET_RESULT_DO_NOT_CALL] };
      g_autofree char *number = NULL;

      parts[1] = g->results[JARCHI_TARGET_RESULT_NO_ANSWER] + g->results[JARCHI_TARGET_RESULT_BUSY]
                 + g->results[JARCHI_TARGET_RESULT_FAILED];
      /* TRANSLATORS: reached of all targets in a department or district, next to its bar */
      number = g_strdup_printf (_("%u / %u"), parts[0], g->total);
      draw_bar_row (widget, snapshot, y, width, g->name, parts, colors, 3, g->total, number, fg);
      y += ROW_H;
    }
  return y;
}

static double
draw_timeline (JarchiResultsChart *self, GtkSnapshot *snapshot, double y, double width, const GdkRGBA *fg)
{
  static const GdkRGBA bar = { 0.21, 0.52, 0.89, 1 };
  GtkWidget *widget = GTK_WIDGET (self);
  Timeline tl;
  guint max = 1;
  double plot_h = TIME_H - 40, slot, base;
  g_autofree char *title = NULL, *start = NULL, *end = NULL;

  bucket_timeline (self, &tl);
  if (tl.n == 0)
    return y;
  title = g_strdup_printf (_("Calls ended over time (per %u min)"), tl.step_s / 60);
  draw_text (widget, snapshot, title, PAD, y + TITLE_H / 2, -1, TRUE, FALSE, fg);
  y += TITLE_H;
  for (guint b = 0; b < tl.n; b++)
    max = MAX (max, tl.counts[b]);
  slot = (width - 2 * PAD) / tl.n;
  base = y + 20 + plot_h;
  for (guint b = 0; b < tl.n; b++)
    {
      double h = plot_h * tl.counts[b] / max, x = PAD + b * slot;
      g_autofree char *n = g_strdup_printf ("%u", tl.counts[b]);

      draw_rect (snapshot, &bar, x + slot * 0.15, base - h, slot * 0.7, h);
      draw_text (widget, snapshot, n, x + slot / 2 + 4, base - h - 9, -1, TRUE, TRUE, fg);
    }
  start = format_time (tl.first);
  end = format_time (tl.first + (gint64) tl.n * tl.step_s);
  draw_text (widget, snapshot, start, PAD, base + 10, -1, FALSE, FALSE, fg);
  draw_text (widget, snapshot, end, width - PAD, base + 10, -1, FALSE, TRUE, fg);
  return y + TIME_H;
}

static void
jarchi_results_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  JarchiResultsChart *self = JARCHI_RESULTS_CHART (widget);
  double width = gtk_widget_get_width (widget), y = PAD;
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  if (self->stats == NULL || self->stats->total == 0)
    {
      draw_text (widget, snapshot, _("No results yet"), PAD, PAD + TITLE_H / 2, -1, FALSE, FALSE, &fg);
      return;
    }

  draw_text (widget, snapshot, _("Results"), PAD, y + TITLE_H / 2, -1, TRUE, FALSE, &fg);
  y += TITLE_H;
  for (guint r = 0; r < JARCHI_N_TARGET_RESULTS; r++)
    {
      guint part = self->stats->results[r];
      g_autofree char *number = NULL;

      if (part == 0)
        continue;
      number = g_strdup_printf ("%u (%.0f %%)", part, 100.0 * part / self->stats->total);
      draw_bar_row (widget, snapshot, y, width, jarchi_results_chart_result_label (r), &part,
                    &result_colors[r], 1, self->stats->total, number, &fg);
      y += ROW_H;
    }
  y = draw_timeline (self, snapshot, y, width, &fg);
  y = draw_groups (widget, snapshot, y, width, _("By department (reached / all)"), self->stats->departments, &fg);
  draw_groups (widget, snapshot, y, width, _("By district (reached / all)"), self->stats->districts, &fg);
}

/* ---- GObject -------------------------------------------------------------------------------- */

static void
jarchi_results_chart_finalize (GObject *object)
{
  JarchiResultsChart *self = JARCHI_RESULTS_CHART (object);

  g_clear_pointer (&self->stats, jarchi_campaign_stats_free);
  g_clear_pointer (&self->ended_at, g_array_unref);
  g_clear_pointer (&self->summary, g_free);
  G_OBJECT_CLASS (jarchi_results_chart_parent_class)->finalize (object);
}

static void
jarchi_results_chart_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiResultsChart *self = JARCHI_RESULTS_CHART (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_results_chart_class_init (JarchiResultsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = jarchi_results_chart_finalize;
  object_class->get_property = jarchi_results_chart_get_property;
  widget_class->measure = jarchi_results_chart_measure;
  widget_class->snapshot = jarchi_results_chart_snapshot;

  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "resultschart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
jarchi_results_chart_init (JarchiResultsChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Results chart"), -1);
  update_summary (self);
}

GtkWidget *
jarchi_results_chart_new (void)
{
  return g_object_new (JARCHI_TYPE_RESULTS_CHART, NULL);
}

void
jarchi_results_chart_set_stats (JarchiResultsChart *self, const JarchiCampaignStats *stats)
{
  g_return_if_fail (JARCHI_IS_RESULTS_CHART (self));

  g_clear_pointer (&self->stats, jarchi_campaign_stats_free);
  if (stats != NULL)
    self->stats = jarchi_campaign_stats_copy (stats);
  update_summary (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
jarchi_results_chart_set_timeline (JarchiResultsChart *self, GArray *ended_at)
{
  g_return_if_fail (JARCHI_IS_RESULTS_CHART (self));

  g_clear_pointer (&self->ended_at, g_array_unref);
  if (ended_at != NULL)
    self->ended_at = g_array_ref (ended_at);
  update_summary (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const char *
jarchi_results_chart_get_summary (JarchiResultsChart *self)
{
  g_return_val_if_fail (JARCHI_IS_RESULTS_CHART (self), NULL);
  return self->summary;
}
