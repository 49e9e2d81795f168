package kiban.connect.opcua;

import kiban.connect.ServerUrl;

/**
 * A checked OPC UA endpoint URL, {@code opc.tcp://host[:port][/path]}; the port defaults to 4840,
 * the IANA-registered OPC UA port.
 */
public record OpcUaEndpoint(String url, String host, int port) {

    public static final int DEFAULT_PORT = 4840;
    private static final String EXPECTED = "an OPC UA endpoint URL such as opc.tcp://host:4840[/path]";

    /** Parses {@code text}; {@code source} names where it came from (an option, a file) in errors. */
    public static OpcUaEndpoint parse(String text, String source) {
        ServerUrl url = ServerUrl.parse(text, source, "opc.tcp", DEFAULT_PORT, EXPECTED, "only the opc.tcp transport is supported");
        return new OpcUaEndpoint(text.strip(), url.host(), url.port());
    }
}
