package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/** docs/SERVING.md documents every flag of kiban serve and links nothing that exists on one machine only. */
class ServeDocsTest {

    /** Tests run in the module's folder. */
    private static final Path DOC = Path.of("..", "docs", "SERVING.md");

    @Test
    void everyServeFlagIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        for (OptionSpec o : Main.commandLine().getSubcommands().get("serve").getCommandSpec().options()) {
            String name = o.longestName();
            if (o.inherited() || o.usageHelp() || o.versionHelp()) {
                // --verbose, --help and --version belong to every command, not to serve.
                continue;
            }
            assertThat(doc).as(name).contains(name);
        }
    }

    @Test
    void linksNoPathOfOneMachine() throws Exception {
        String doc = Files.readString(DOC);
        assertThat(Pattern.compile("(?<![\\w.~])/(work|home|tmp|root|Users|mnt)/").matcher(doc).find()).as(doc).isFalse();
    }
}
