package kiban.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kiban.core.json.Json;

/** Python clients among a test's resources, run against a server as a user would run them. */
public final class PythonScripts {

    private PythonScripts() {}

    /** Copies the scripts {@code files} beside {@code anchor}'s class (one may import another) to {@code dir}; returns the first's path. */
    public static Path copy(Class<?> anchor, Path dir, String... files) throws IOException {
        for (String file : files) {
            try (var in = anchor.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IOException("no test resource " + file + " beside " + anchor.getName());
                }
                Files.write(dir.resolve(file), in.readAllBytes());
            }
        }
        return dir.resolve(files[0]);
    }

    /** Runs {@code script} on Debian's python3 with {@code args}; it must exit 0 within a minute. Returns the JSON it prints. */
    public static JsonNode runJson(Path script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not exit within 60 s; it printed: " + out);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(script + " exited with " + p.exitValue() + "; it printed: " + out);
        }
        return Json.MAPPER.readTree(out);
    }
}
