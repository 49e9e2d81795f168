package kiban.data.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import kiban.core.error.KibanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ffmpeg is outside input too: a run that floods stderr, hangs, or keeps running after its output
 * is read is stopped in bounded time and never left running; odd file names reach it safely.
 * Misbehaving ffmpegs are small shell scripts put in its place ({@code kiban.ffmpeg}).
 */
class FfmpegTest {

    @TempDir
    Path tmp;

    private Path fake(String body) throws IOException {
        Path exe = tmp.resolve("fake-ffmpeg");
        Files.writeString(exe, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        return exe;
    }

    /**
     * Runs {@code body} with {@code exe} as ffmpeg and each blocking step bounded by {@code timeoutS};
     * the test fails if it takes a minute (a hang).
     */
    private static void with(Path exe, String timeoutS, Runnable body) {
        System.setProperty("kiban.ffmpeg", exe.toString());
        if (timeoutS != null) {
            System.setProperty(Ffmpeg.TIMEOUT_PROPERTY, timeoutS);
        }
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), body::run);
        } finally {
            System.clearProperty("kiban.ffmpeg");
            System.clearProperty(Ffmpeg.TIMEOUT_PROPERTY);
        }
    }

    private Path pidFile() {
        return tmp.resolve("pid");
    }

    private void assertStopped() throws IOException {
        long pid = Long.parseLong(Files.readString(pidFile()).strip());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("fake ffmpeg %d still running", pid).isFalse();
    }

    @Test
    void aFloodOfErrorsEndsWithTheExitStatusAndTheLastErrors() throws IOException {
        // 300 KB of errors: more than a pipe holds, so an ffmpeg whose stderr is not read blocks forever.
        Path exe = fake("head -c 300000 /dev/zero | tr '\\000' 'e' >&2\necho 'the last line' >&2\nexit 3");
        Path in = Files.writeString(tmp.resolve("in.mp4"), "x");
        with(exe, null, () ->
                assertThatThrownBy(() -> Ffmpeg.truncate(in, 1.0, tmp.resolve("out.mp4"))).isInstanceOf(KibanException.class)
                        .hasMessageContaining("exit 3").hasMessageContaining("the last line")
                        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(3000)));
    }

    @Test
    void aHungJoinIsStoppedAtTheTimeoutAndKilled() throws IOException {
        Path exe = fake("echo $$ > '" + pidFile() + "'\nexec sleep 120");
        Path a = Files.writeString(tmp.resolve("a.mp4"), "a");
        Path b = Files.writeString(tmp.resolve("b.mp4"), "b");
        with(exe, "1", () ->
                assertThatThrownBy(() -> Ffmpeg.concat(List.of(a, b), tmp.resolve("ab.mp4"))).isInstanceOf(KibanException.class)
                        .hasMessageContaining("did not finish joining videos").hasMessageContaining("within 1 s")
                        .hasMessageContaining(Ffmpeg.TIMEOUT_PROPERTY));
        assertStopped();
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("the concat list and its links are removed")
                    .noneMatch(n -> n.startsWith("concat-"));
        }
    }

    @Test
    void anEncoderThatStopsReadingIsStoppedAtTheTimeout() throws IOException {
        Path exe = fake("echo $$ > '" + pidFile() + "'\nexec sleep 120");
        with(exe, "1", () -> {
            Ffmpeg.Encoder enc = Ffmpeg.encoder(tmp.resolve("e.mp4"), 96, 96, 10);
            RgbFrame frame = new RgbFrame(96, 96, new byte[96 * 96 * 3]);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    enc.write(frame);
                }
            }).isInstanceOf(KibanException.class).hasMessageContaining("did not finish encoding");
            enc.abort();
        });
        assertStopped();
    }

    @Test
    void decodingStopsFfmpegOnceTheFramesAreRead() throws IOException {
        int size = 4 * 6 * 3;
        Path exe = fake("echo $$ > '" + pidFile() + "'\nhead -c " + (2 * size) + " /dev/zero\nexec sleep 120");
        Path video = Files.writeString(tmp.resolve("v.mp4"), "v");
        with(exe, null, () ->
                assertThat(Ffmpeg.decode(video, 0, 2, 4, 6)).hasSize(2));
        assertStopped();
    }

    @Test
    void videosWithQuotesAndNewlinesInTheirNamesJoin() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("it's a\nfolder"));
        Path first = dir.resolve("first 'one'\n.mp4");
        Path second = dir.resolve("second\r\nfile 'two.mp4");
        for (Path p : List.of(first, second)) {
            Ffmpeg.Encoder enc = Ffmpeg.encoder(p, 16, 16, 10);
            for (int i = 0; i < 5; i++) {
                enc.write(new RgbFrame(16, 16, new byte[16 * 16 * 3]));
            }
            enc.finish();
        }
        Path joined = dir.resolve("joined\n'.mp4");
        Ffmpeg.concat(List.of(first, second), joined);
        assertThat(Mp4Info.durationSeconds(joined)).isEqualTo(1.0);
        assertThat(Ffmpeg.decode(joined, 0.7, 3, 16, 16)).hasSize(3);
    }
}
