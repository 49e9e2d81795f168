package kiban.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of kiban-policy import only the packages below them (docs/ARCHITECTURE.md): no
 * shared layer reaches up into a policy type's own package, so a type such as the foundation
 * policy arrives through the registries without a switch below it.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/kiban/policy");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?kiban\\.policy\\.([a-z]+)\\.", Pattern.MULTILINE);

    /** What each package may import; torchscript/ (PyTorch's own policies) sits beside run/, which loads them. */
    private static final Map<String, Set<String>> MAY_IMPORT = Map.of(
            "nn", Set.of(),
            "data", Set.of("nn"),
            "model", Set.of("data", "nn"),
            "torchscript", Set.of("data", "model", "nn", "run"),
            "run", Set.of("data", "model", "nn", "torchscript"),
            "card", Set.of("data", "model", "nn", "run"),
            "train", Set.of("card", "data", "model", "nn", "run"),
            "export", Set.of("data", "model", "nn", "run", "torchscript"),
            "foundation", Set.of("card", "data", "model", "nn", "run", "torchscript", "train"),
            "estimate", Set.of("card", "data", "export", "model", "nn", "run", "torchscript", "train"));

    @Test
    void everyPackageImportsOnlyWhatSitsBelowIt() throws IOException {
        Map<String, Set<String>> found = imports();
        assertEquals(new TreeSet<>(MAY_IMPORT.keySet()), found.keySet(), "every package of kiban-policy has its place in the layers");
        for (var e : found.entrySet()) {
            Set<String> beyond = new TreeSet<>(e.getValue());
            beyond.removeAll(MAY_IMPORT.get(e.getKey()));
            assertTrue(beyond.isEmpty(), e.getKey() + "/ imports " + beyond + ", which sit above it");
        }
    }

    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String pkg = dir.getFileName().toString();
                Set<String> used = new TreeSet<>();
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        Matcher m = IMPORT.matcher(Files.readString(f));
                        while (m.find()) {
                            used.add(m.group(1));
                        }
                    }
                }
                used.remove(pkg);
                out.put(pkg, used);
            }
        }
        return out;
    }

    @Test
    void theRuleSeesAnImportThatReachesUp() {
        Matcher m = IMPORT.matcher(String.join("\n", List.of("package kiban.policy.run;", "import kiban.policy.foundation.FoundationFiles;")));
        assertTrue(m.find());
        assertEquals("foundation", m.group(1));
    }
}
