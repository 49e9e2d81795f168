package kiban.cli;

/** Plain-text formatting of figures for people. */
final class Text {

    private Text() {}

    /** A number without a trailing ".0" and with at most 4 significant decimals. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        String s = String.format("%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
