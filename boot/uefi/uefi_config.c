// SPDX-License-Identifier: GPL-2.0-only
/* Parser for the UEFI loader's config file and load options (host-testable, no EFI types). */
#include "uefi_config.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"

#define CFG_ASCII_DEL 0x7f
#define CFG_SHOW_MAX  32 /* bytes of an offending word quoted in a message */

static bool cfg_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *cfg_skip_blanks(const char *s, const char *end)
{
	while (s < end && cfg_blank(*s))
		s++;
	return s;
}

static const char *cfg_word_end(const char *s, const char *end)
{
	while (s < end && !cfg_blank(*s))
		s++;
	return s;
}

static bool cfg_word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

/*
 * Stores a path with '\' separators and a leading '\', as EFI_FILE_PROTOCOL
 * Open() wants it relative to the volume root. what names the path's owner
 * in messages ("config line 3" or "load option").
 */
static int cfg_store_path(char *dst, size_t dst_size, const char *s, size_t len, const char *what)
{
	size_t i, o = 0;
	bool lead = len == 0 || (s[0] != '/' && s[0] != '\\');
	size_t need = len + (lead ? 1 : 0); /* bytes stored, without the NUL */

	if (need >= dst_size) {
		pr_err("uefi: %s: path '%.*s...' is %zu bytes, longer than %zu", what,
		       (int)MIN(len, (size_t)CFG_SHOW_MAX), s, need, dst_size - 1);
		return -HV_EINVAL;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		/* UEFI file names are UCS-2; only ASCII converts without a code page. */
		if (c >= 0x80) {
			pr_err("uefi: %s: path has non-ASCII byte 0x%02x at offset %zu", what, c,
			       i);
			return -HV_EINVAL;
		}
	}
	if (lead)
		dst[o++] = '\\';
	for (i = 0; i < len; i++)
		dst[o++] = s[i] == '/' ? '\\' : s[i];
	dst[o] = '\0';
	return 0;
}

struct cfg_state {
	struct uefi_config *cfg;
	unsigned line;
	unsigned hypervisor_line;
	unsigned cmdline_line;
	char where[24]; /* "config line N" for messages */
};

static int cfg_hypervisor(struct cfg_state *st, const char *arg, const char *end)
{
	const char *pe = cfg_word_end(arg, end);

	if (arg == end) {
		pr_err("uefi: config line %u: 'hypervisor' needs a path", st->line);
		return -HV_EINVAL;
	}
	if (st->hypervisor_line) {
		pr_err("uefi: config line %u: second 'hypervisor' line (the first is line %u)",
		       st->line, st->hypervisor_line);
		return -HV_EINVAL;
	}
	if (pe != end) {
		const char *extra = cfg_skip_blanks(pe, end);

		pr_err("uefi: config line %u: 'hypervisor' takes one path, found extra text '%.*s'",
		       st->line, (int)MIN((size_t)(end - extra), (size_t)CFG_SHOW_MAX), extra);
		return -HV_EINVAL;
	}
	st->hypervisor_line = st->line;
	return cfg_store_path(st->cfg->hypervisor, sizeof(st->cfg->hypervisor), arg,
			      (size_t)(pe - arg), st->where);
}

static int cfg_cmdline(struct cfg_state *st, const char *arg, const char *end)
{
	size_t len = (size_t)(end - arg);

	if (arg == end) {
		pr_err("uefi: config line %u: 'cmdline' needs an argument (leave the line out "
		       "for an empty command line)",
		       st->line);
		return -HV_EINVAL;
	}
	if (st->cmdline_line) {
		pr_err("uefi: config line %u: second 'cmdline' line (the first is line %u)",
		       st->line, st->cmdline_line);
		return -HV_EINVAL;
	}
	if (len >= sizeof(st->cfg->cmdline)) {
		pr_err("uefi: config line %u: cmdline is %zu bytes, longer than %zu", st->line, len,
		       sizeof(st->cfg->cmdline) - 1);
		return -HV_EINVAL;
	}
	st->cmdline_line = st->line;
	memcpy(st->cfg->cmdline, arg, len);
	st->cfg->cmdline[len] = '\0';
	return 0;
}

static int cfg_module(struct cfg_state *st, const char *arg, const char *end)
{
	struct uefi_cfg_module *m;
	const char *pe = cfg_word_end(arg, end);
	const char *tag = cfg_skip_blanks(pe, end);
	size_t tag_len = (size_t)(end - tag);
	int err;

	if (arg == end) {
		pr_err("uefi: config line %u: 'module' needs a path", st->line);
		return -HV_EINVAL;
	}
	if (st->cfg->module_count >= BOOT_MODULES_MAX) {
		pr_err("uefi: config line %u: more than %u modules", st->line, BOOT_MODULES_MAX);
		return -HV_EINVAL;
	}
	m = &st->cfg->modules[st->cfg->module_count];
	if (tag_len >= sizeof(m->tag)) {
		pr_err("uefi: config line %u: module tag is %zu bytes, longer than %zu", st->line,
		       tag_len, sizeof(m->tag) - 1);
		return -HV_EINVAL;
	}
	err = cfg_store_path(m->path, sizeof(m->path), arg, (size_t)(pe - arg), st->where);
	if (err)
		return err;
	memcpy(m->tag, tag, tag_len);
	m->tag[tag_len] = '\0';
	st->cfg->module_count++;
	return 0;
}

static int cfg_line(struct cfg_state *st, const char *s, const char *end)
{
	const char *kw, *kw_end, *arg;
	size_t kw_len;

	/* Blanks at both ends never belong to a path, a tag or the command line. */
	s = cfg_skip_blanks(s, end);
	while (end > s && cfg_blank(end[-1]))
		end--;
	if (s == end || *s == '#')
		return 0;
	kw = s;
	kw_end = cfg_word_end(kw, end);
	kw_len = (size_t)(kw_end - kw);
	arg = cfg_skip_blanks(kw_end, end);
	if (cfg_word_is(kw, kw_len, "hypervisor"))
		return cfg_hypervisor(st, arg, end);
	if (cfg_word_is(kw, kw_len, "cmdline"))
		return cfg_cmdline(st, arg, end);
	if (cfg_word_is(kw, kw_len, "module"))
		return cfg_module(st, arg, end);
	pr_err("uefi: config line %u: unknown directive '%.*s'", st->line,
	       (int)MIN(kw_len, (size_t)CFG_SHOW_MAX), kw);
	return -HV_EINVAL;
}

int uefi_config_parse(const char *buf, size_t len, struct uefi_config *cfg)
{
	struct cfg_state st = { .cfg = cfg };
	size_t pos = 0;

	memset(cfg, 0, sizeof(*cfg));
	while (pos < len) {
		size_t start = pos, line_len;
		int err;

		st.line++;
		snprintf(st.where, sizeof(st.where), "config line %u", st.line);
		for (; pos < len && buf[pos] != '\n'; pos++) {
			unsigned char c = (unsigned char)buf[pos];

			if (pos - start >= UEFI_CFG_LINE_MAX) {
				pr_err("uefi: config line %u is longer than %u bytes", st.line,
				       UEFI_CFG_LINE_MAX);
				return -HV_EINVAL;
			}
			if (c == '\0') {
				pr_err("uefi: config line %u: NUL byte at column %zu", st.line,
				       pos - start + 1);
				return -HV_EINVAL;
			}
			/* CR is fine as the last byte of a line (files written on Windows). */
			if (c == '\r' && (pos + 1 == len || buf[pos + 1] == '\n'))
				continue;
			if ((c < 0x20 && c != '\t') || c == CFG_ASCII_DEL) {
				pr_err("uefi: config line %u: control byte 0x%02x at column %zu",
				       st.line, c, pos - start + 1);
				return -HV_EINVAL;
			}
		}
		line_len = pos - start;
		if (line_len && buf[start + line_len - 1] == '\r')
			line_len--;
		err = cfg_line(&st, buf + start, buf + start + line_len);
		if (err)
			return err;
		if (pos < len)
			pos++; /* the '\n' */
	}
	if (!st.hypervisor_line) {
		pr_err("uefi: config has no 'hypervisor' line (%u lines read)", st.line);
		return -HV_EINVAL;
	}
	return 0;
}

/* UCS-2 code units, little-endian as everything on x86 and arm64 UEFI. */
static unsigned opt_char(const uint8_t *p, size_t i)
{
	return (unsigned)p[2 * i] | (unsigned)p[2 * i + 1] << 8;
}

static bool opt_ends_with_efi(const char *w, size_t len)
{
	static const char ext[] = ".efi";
	size_t i, n = sizeof(ext) - 1;

	if (len < n)
		return false;
	for (i = 0; i < n; i++) {
		char c = w[len - n + i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != ext[i])
			return false;
	}
	return true;
}

int uefi_load_options_path(const void *opts, size_t size, char *path, size_t path_size)
{
	char text[UEFI_CFG_PATH_MAX * 2];
	const uint8_t *p = opts;
	size_t n, i, len = 0;
	const char *s, *end, *w;

	if (!opts || size < 2 || size % 2)
		return 0;
	n = size / 2;
	for (i = 0; i < n; i++) {
		unsigned c = opt_char(p, i);

		if (c == 0)
			break;
		/* Firmware-made boot entries carry binary data here, not text. */
		if (c != '\t' && (c < 0x20 || c >= CFG_ASCII_DEL))
			return 0;
		if (len + 1 >= sizeof(text)) {
			pr_err("uefi: load options are longer than %zu characters",
			       sizeof(text) - 1);
			return -HV_EINVAL;
		}
		text[len++] = (char)c;
	}
	s = text;
	end = text + len;
	s = cfg_skip_blanks(s, end);
	w = cfg_word_end(s, end);
	/*
	 * The shell and GRUB's chainloader start with the image's own name (which
	 * the shell accepts without ".efi"); a boot entry's data does not.
	 */
	if (s < w && (opt_ends_with_efi(s, (size_t)(w - s)) || cfg_skip_blanks(w, end) < end))
		s = cfg_skip_blanks(w, end);
	w = cfg_word_end(s, end);
	if (s == w)
		return 0;
	/* The shell may quote an argument; a path here has no blanks to protect. */
	if (w - s >= 2 && s[0] == '"' && w[-1] == '"') {
		s++;
		w--;
	}
	/* "fs0:\x.cfg": only the loader's own volume is searched, so drop the volume. */
	for (i = 0; i < (size_t)(w - s); i++) {
		if (s[i] == ':') {
			s += i + 1;
			break;
		}
	}
	if (s == w)
		return 0;
	return cfg_store_path(path, path_size, s, (size_t)(w - s), "load option") ? -HV_EINVAL : 1;
}
