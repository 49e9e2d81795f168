package kiban.cli;

/** Plain-text formatting of figures for people. */
final class Text {

    private Text() {}

    /** A number without a trailing ".0" and with at most 4 significant decimals; never "-0". */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        String s = String.format(java.util.Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        // A small negative value rounds to zero; its sign says nothing at four decimals.
        return s.equals("-0") ? "0" : s;
    }

    /** A count and its noun, plural unless the count is one: "1 error", "3 errors", "0 errors". */
    static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    /** A count and its noun, for a noun whose plural is not its singular plus "s" ("1 success", "2 successes"). */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
