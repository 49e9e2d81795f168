/**
 * OPC UA through Eclipse Milo: {@link kiban.connect.opcua.OpcUaMachine} subscribes to a machine's
 * sensor nodes and writes its set-point nodes as a {@link kiban.connect.opcua.NodeMapping} says;
 * {@link kiban.connect.opcua.SimOpcUaServer} serves one of Kiban's simulated envs as such a machine.
 * Both speak the secure policies, modes and logins of {@link kiban.connect.opcua.security}.
 */
package kiban.connect.opcua;
