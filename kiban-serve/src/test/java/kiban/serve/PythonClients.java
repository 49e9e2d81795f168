package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kiban.core.json.Json;

/** The Python clients among this package's test resources, run against a server as a user would run them. */
final class PythonClients {

    private PythonClients() {}

    /** Copies the scripts {@code files} (one may import another) to {@code dir}; returns the first's path. */
    static Path copy(Path dir, String... files) throws IOException {
        for (String file : files) {
            try (var in = PythonClients.class.getResourceAsStream(file)) {
                Files.write(dir.resolve(file), in.readAllBytes());
            }
        }
        return dir.resolve(files[0]);
    }

    /** Runs {@code script} on Debian's python3 with {@code args}; it must exit 0 within a minute. Returns the JSON it prints. */
    static JsonNode run(Path script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Json.MAPPER.readTree(out);
    }
}
