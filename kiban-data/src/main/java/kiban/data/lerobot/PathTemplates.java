package kiban.data.lerobot;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kiban.core.error.InvalidInputException;

/**
 * LeRobot's path templates ({@code data_path}, {@code video_path}): Python format strings such as
 * {@code data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet}. They come from info.json, so
 * they are checked before use: placeholders closed and known, formats limited to {@code [0][width]d}
 * with a width of at most {@value #MAX_WIDTH}, and the path relative, inside the dataset (no
 * absolute path, no {@code ..}, no backslash). A filled-in path is checked again, since a video key
 * comes from the features.
 */
final class PathTemplates {

    /** Widest zero-padded number a template may ask for ({@code :03d} is LeRobot's). */
    static final int MAX_WIDTH = 32;
    static final Set<String> NAMES = Set.of("chunk_index", "file_index", "episode_chunk", "episode_index", "video_key");

    private PathTemplates() {
    }

    /** Checks {@code template} (the value of {@code field} in {@code source}); returns it. */
    static String check(String template, String source, String field) {
        fill(template, null, source, field);
        return template;
    }

    /** Checks a value that becomes one folder name of a path (a video key). */
    static void checkFolderName(String name, String source, String field) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.matches(".*[/\\\\{}\\x00].*")) {
            throw new InvalidInputException(source, field, "a name usable as one folder (no '/', '\\', '{', '}', not '..')",
                    quote(name));
        }
    }

    /** Fills the template's placeholders from {@code values}; the result is a relative path inside the dataset. */
    static String format(String template, Map<String, Object> values) {
        return fill(template, values, "path template", template);
    }

    /** Parses (and with {@code values}, fills) a template; {@code values == null} only checks it. */
    private static String fill(String template, Map<String, Object> values, String source, String field) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '}') {
                throw new InvalidInputException(source, field, "a path template whose '}' closes a '{'", quote(template));
            }
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            int end = template.indexOf('}', i);
            int next = template.indexOf('{', i + 1);
            if (end < 0 || (next >= 0 && next < end)) {
                throw new InvalidInputException(source, field, "a path template whose '{' at position " + i + " is closed by a '}' "
                        + "before any other '{'", quote(template));
            }
            String spec = template.substring(i + 1, end);
            int colon = spec.indexOf(':');
            String name = colon < 0 ? spec : spec.substring(0, colon);
            String fmt = colon < 0 ? null : spec.substring(colon + 1);
            if (!NAMES.contains(name)) {
                throw new InvalidInputException(source, field, "placeholders among " + NAMES.stream().sorted().toList(),
                        "{" + name + "} in " + quote(template));
            }
            String javaFormat = javaFormat(fmt, template, source, field);
            if (values == null) {
                // A stand-in for the value, so that the path checks below see the template's own parts.
                out.append('x');
            } else {
                Object v = values.get(name);
                if (v == null) {
                    throw new InvalidInputException(source, field, "a value for {" + name + "}", null);
                }
                if (fmt != null) {
                    if (!(v instanceof Number n)) {
                        throw new InvalidInputException(source, field, "a number for {" + spec + "}", v.toString());
                    }
                    out.append(String.format(Locale.ROOT, javaFormat, n.longValue()));
                } else {
                    out.append(v);
                }
            }
            i = end + 1;
        }
        String path = out.toString();
        checkInside(path, template, source, field);
        return path;
    }

    /**
     * The Java format of a Python {@code [0][width]d} format ({@code 03d}: zero-padded to 3,
     * {@code 3d}: space-padded, {@code d}: plain); anything else is refused.
     */
    private static String javaFormat(String fmt, String template, String source, String field) {
        if (fmt == null) {
            return null;
        }
        String expected = "a format [0][width]d with a width of at most " + MAX_WIDTH + " (such as 03d)";
        if (!fmt.matches("0?[0-9]{0,2}d")) {
            throw new InvalidInputException(source, field, expected, quote(fmt) + " in " + quote(template));
        }
        boolean zero = fmt.startsWith("0") && fmt.length() > 2;
        String digits = fmt.substring(zero ? 1 : 0, fmt.length() - 1);
        int width = digits.isEmpty() ? 0 : Integer.parseInt(digits);
        if (width > MAX_WIDTH) {
            throw new InvalidInputException(source, field, expected, quote(fmt) + " in " + quote(template));
        }
        return width == 0 ? "%d" : "%" + (zero ? "0" : "") + width + "d";
    }

    private static void checkInside(String path, String template, String source, String field) {
        String expected = "a relative path inside the dataset (no leading '/', no '..', no '\\', no empty part)";
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0
                || path.matches("^[A-Za-z]:.*")) {
            throw new InvalidInputException(source, field, expected, quote(path.equals(template) ? path : path + " from " + template));
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals("..") || part.equals(".")) {
                throw new InvalidInputException(source, field, expected,
                        quote(path.equals(template) ? path : path + " from " + template));
            }
        }
    }

    private static String quote(String s) {
        return "'" + (s.length() > 200 ? s.substring(0, 200) + "..." : s) + "'";
    }
}
