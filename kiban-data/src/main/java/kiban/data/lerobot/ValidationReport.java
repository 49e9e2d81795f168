package kiban.data.lerobot;

import java.util.List;

/** What {@link DatasetValidator} found; {@code suppressed} counts issues past the per-check cap. */
public record ValidationReport(String root, String version, List<ValidationIssue> issues, long suppressed) {

    public ValidationReport {
        issues = List.copyOf(issues);
    }

    public List<ValidationIssue> errors() {
        return issues.stream().filter(i -> i.severity() == ValidationIssue.Severity.ERROR).toList();
    }

    public List<ValidationIssue> warnings() {
        return issues.stream().filter(i -> i.severity() == ValidationIssue.Severity.WARNING).toList();
    }

    public boolean valid() {
        return errors().isEmpty();
    }
}
