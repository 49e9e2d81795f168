package kiban.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import kiban.core.error.KibanException;

/**
 * The folder {@code POST /v1/admin/reload} may load from. A requested checkpoint is resolved
 * against it and must stay inside it, symbolic links followed; replies name checkpoints relative
 * to it, so the server's file system layout stays on the server.
 */
final class ModelRoot {

    private final Path root;

    ModelRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The checkpoint {@code requested} names, refused when it leaves the root (403) or does not exist (404). */
    Path resolve(String requested) {
        Path p;
        try {
            Path asked = Path.of(requested);
            p = (asked.isAbsolute() ? asked : root.resolve(asked)).normalize();
        } catch (InvalidPathException e) {
            throw new Refused(400, "checkpoint '" + requested + "' is not a path");
        }
        if (!p.startsWith(root)) {
            throw new Refused(403, "checkpoint '" + requested + "' is outside the model root; reload loads only from below it "
                    + "(--model-root)");
        }
        if (!Files.exists(p)) {
            throw new Refused(404, "checkpoint '" + requested + "' not found under the model root");
        }
        try {
            if (!p.toRealPath().startsWith(root.toRealPath())) {
                throw new Refused(403, "checkpoint '" + requested + "' links outside the model root");
            }
        } catch (IOException e) {
            throw new Refused(404, "checkpoint '" + requested + "' cannot be read under the model root");
        }
        return p;
    }

    /** {@code p} as a client may see it: relative to the root, or its file name when outside. */
    String display(Path p) {
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(root) ? root.relativize(a).toString() : String.valueOf(a.getFileName());
    }

    /** {@code message} with the root's absolute path taken out. */
    String scrub(String message) {
        String s = message;
        try {
            s = s.replace(root.toRealPath() + "/", "").replace(root.toRealPath().toString(), "<model root>");
        } catch (IOException e) {
            // The root is gone; its normalized path is still replaced below.
        }
        return s.replace(root + "/", "").replace(root.toString(), "<model root>");
    }

    /** A reload refused before loading anything, with the HTTP status it earns. */
    static final class Refused extends KibanException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
