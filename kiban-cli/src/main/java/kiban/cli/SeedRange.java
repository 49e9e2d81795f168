package kiban.cli;

import kiban.core.error.InvalidInputException;

/** Episode seeds {@code first} to {@code last} inclusive, written {@code FIRST-LAST} on the command line. */
record SeedRange(long first, long last) {

    SeedRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("need 0 <= first <= last, got " + first + "-" + last);
        }
    }

    int count() {
        return Math.toIntExact(last - first + 1);
    }

    boolean overlaps(SeedRange other) {
        return first <= other.last && other.first <= last;
    }

    /** Parses {@code FIRST-LAST}; {@code option} names the option for the error. */
    static SeedRange parse(String text, String option) {
        String[] parts = text.split("-", -1);
        try {
            if (parts.length == 2) {
                long first = Long.parseLong(parts[0].trim());
                long last = Long.parseLong(parts[1].trim());
                if (first >= 0 && last >= first && last - first < 100_000) {
                    return new SeedRange(first, last);
                }
            }
        } catch (NumberFormatException e) {
            // reported below with what was expected
        }
        throw new InvalidInputException(option, "", "FIRST-LAST: seeds with 0 <= FIRST <= LAST, at most 100000 of them",
                "'" + text + "'");
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
