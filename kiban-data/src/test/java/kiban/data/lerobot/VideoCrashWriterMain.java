package kiban.data.lerobot;

import java.nio.file.Path;

/** Writes video episodes forever (or resumes), printing "saved N" after each; the crash test kills it with SIGKILL. */
public final class VideoCrashWriterMain {

    private VideoCrashWriterMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        LeRobotDatasetWriter w = args.length > 1 && args[1].equals("resume")
                ? LeRobotDatasetWriter.resume(dir)
                : LeRobotDatasetWriter.create(dir, VideoDatasetTest.options());
        for (int e = w.episodeCount(); ; e++) {
            VideoDatasetTest.writeEpisode(w, e);
            System.out.println("saved " + (e + 1));
            System.out.flush();
        }
    }
}
