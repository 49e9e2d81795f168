import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.Episode;
import kiban.policy.data.TrainingData;

/**
 * Research aid, not shipped: writes a PushT video dataset's camera frames (uint8 HWC, through the
 * frame cache) and states (big-endian float32 rows) to plain files for pose_prototype.py, which
 * asks how precisely a small CNN reads the block's pose from the 96x96 frame. Run with the CLI's
 * class path, as docs/TRAINING.md ("Pixel policies") shows.
 */
public class DumpFrames {
    public static void main(String[] args) throws Exception {
        TrainingData data = DatasetEpisodes.load(Path.of(args[0]), 0.0, List.of("observation.images.image"));
        Path out = Files.createDirectories(Path.of(args[1]));
        int frames = 0;
        try (var pixels = new BufferedOutputStream(Files.newOutputStream(out.resolve("frames.u8")));
                var states = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out.resolve("states.f32"))))) {
            for (Episode e : data.train()) {
                byte[] frame = new byte[e.images().getFirst().frameBytes()];
                for (int t = 0; t < e.length(); t++) {
                    e.images().getFirst().copyFrame(t, frame);
                    pixels.write(frame);
                    for (double v : e.observations()[t]) {
                        states.writeFloat((float) v);
                    }
                }
                frames += e.length();
            }
        }
        System.out.println(frames + " frames into " + out);
    }
}
