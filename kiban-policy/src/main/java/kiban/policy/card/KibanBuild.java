package kiban.policy.card;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The Kiban that wrote a card: its version (written into the jar by the build) and the git commit
 * of the checkout its code was built in, with whether tracked files differ from that commit.
 * The commit is read when first asked, by running {@code git} in the folder the code was loaded
 * from (no build plugin that could do it at build time is available offline); it is
 * {@value #UNKNOWN} where git or a Kiban checkout is missing there, as for an installed jar.
 */
public record KibanBuild(String version, String commit, Optional<Boolean> localChanges) {

    public static final String UNKNOWN = "unknown";

    private static final class Current {
        static final KibanBuild VALUE = read();
    }

    /** This Kiban's build, computed once. */
    public static KibanBuild current() {
        return Current.VALUE;
    }

    /** The commit, with "(with local changes)" where tracked files differed from it. */
    public String describeCommit() {
        return commit + (localChanges.orElse(false) ? " (with local changes)" : "");
    }

    private static KibanBuild read() {
        Optional<Path> checkout = codeLocation().flatMap(KibanBuild::checkout);
        String commit = checkout.flatMap(dir -> git(dir, "rev-parse", "HEAD")).map(String::strip)
                .filter(c -> c.matches("[0-9a-f]{40,64}")).orElse(UNKNOWN);
        Optional<Boolean> changes = commit.equals(UNKNOWN) ? Optional.empty()
                : git(checkout.get(), "status", "--porcelain", "--untracked-files=no").map(s -> !s.isBlank());
        return new KibanBuild(readVersion(), commit, changes);
    }

    static String readVersion() {
        Properties p = new Properties();
        try (InputStream in = KibanBuild.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            p.load(in);
        } catch (IOException e) {
            return UNKNOWN;
        }
        String v = p.getProperty("version", UNKNOWN);
        // An unfiltered resource (run from an IDE that skips Maven's filtering) says nothing.
        return v.contains("${") ? UNKNOWN : v;
    }

    private static Optional<Path> codeLocation() {
        try {
            var source = KibanBuild.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The top of the git checkout holding {@code code}, if it is Kiban's (a jar copied into another project's tree is not). */
    private static Optional<Path> checkout(Path code) {
        Path dir = Files.isDirectory(code) ? code : code.getParent();
        if (dir == null) {
            return Optional.empty();
        }
        return git(dir, "rev-parse", "--show-toplevel").map(s -> Path.of(s.strip()))
                .filter(top -> Files.isRegularFile(top.resolve("kiban-policy").resolve("pom.xml")));
    }

    /** Git's output, or empty where git is missing or fails. */
    private static Optional<String> git(Path dir, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
