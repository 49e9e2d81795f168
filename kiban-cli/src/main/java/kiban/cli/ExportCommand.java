package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import kiban.core.json.Json;
import kiban.policy.export.TorchScriptExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban export}: a training run as a TorchScript policy folder for PyTorch (and for Kiban). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a trained policy to TorchScript (model.pt + policy.json); needs Python 3 with PyTorch.")
final class ExportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "RUN", description = "A training run folder (kiban train --out).")
    Path checkpoint;

    @Option(names = "--embodiment", paramLabel = "NAME",
            description = "For a run of several embodiments (a foundation policy's): the one to export, by its name or its"
                    + " simulator's; each export is one embodiment's module.")
    String embodiment;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new (or empty) folder for the export.")
    Path out;

    @Option(names = "--format", defaultValue = TorchScriptExport.FORMAT, description = "Export format (default: ${DEFAULT-VALUE}, the only one).")
    String format;

    @Option(names = "--python", paramLabel = "PATH",
            description = "Python with PyTorch that scripts the module (default: $KIBAN_PYTHON, else /usr/bin/python3, else python3).")
    String python;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public void run() {
        if (!TorchScriptExport.FORMAT.equals(format)) {
            throw new ParameterException(spec.commandLine(), "--format must be " + TorchScriptExport.FORMAT + ", got '" + format + "'");
        }
        var r = TorchScriptExport.export(checkpoint, java.util.Optional.ofNullable(embodiment), out,
                python != null ? python : TorchScriptExport.defaultPython());
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = Json.object().put("out", r.dir().toString()).put("format", format).put("policy", r.policy())
                    .put("checkpoint", String.valueOf(r.checkpoint())).put("torch", r.torchVersion());
            if (!r.embodiment().isEmpty()) {
                n.put("embodiment", r.embodiment());
            }
            o.println(Json.pretty(n));
            return;
        }
        o.printf("exported the %s policy%s of %s to %s (TorchScript, PyTorch %s)%n", r.policy(),
                r.embodiment().isEmpty() ? "" : " for the " + r.embodiment() + " embodiment", r.checkpoint(), r.dir(),
                r.torchVersion());
        o.println("load it in PyTorch with torch.jit.load(\"" + r.dir().resolve("model.pt") + "\"), or run it with kiban eval --checkpoint " + r.dir());
    }
}
