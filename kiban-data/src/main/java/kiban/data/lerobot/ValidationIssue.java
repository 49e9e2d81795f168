package kiban.data.lerobot;

/** One broken invariant: where (file, episode, frame; null where not applicable) and what. */
public record ValidationIssue(Severity severity, String file, Integer episode, Long frame, String message) {

    /** Errors make a dataset invalid; warnings (such as an uncommitted trailing episode) do not. */
    public enum Severity { ERROR, WARNING }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(severity == Severity.ERROR ? "error: " : "warning: ");
        if (file != null) {
            b.append(file).append(": ");
        }
        if (episode != null) {
            b.append("episode ").append(episode);
            if (frame != null) {
                b.append(" frame ").append(frame);
            }
            b.append(": ");
        }
        return b.append(message).toString();
    }
}
