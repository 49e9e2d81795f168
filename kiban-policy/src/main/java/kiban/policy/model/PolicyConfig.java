package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One policy type's own settings (its widths, sampling steps, transformer sizes), a record per
 * type such as {@link FlowConfig}. The config file holds them flat beside the settings every type
 * shares; the type's {@link PolicyType} reads them back.
 */
public interface PolicyConfig {

    /** The registered name of its type: the config file's {@code policy}. */
    String type();

    /**
     * Puts each of its fields into a config file's tree, every one of them whatever its value and
     * always in the same order: the order they have in the file.
     */
    void write(ObjectNode fields);
}
