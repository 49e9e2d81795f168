package kiban.sim.env;

/**
 * Makes one kind of env and its expert; found through {@link java.util.ServiceLoader}, listed in
 * {@code META-INF/services/kiban.sim.env.EnvProvider}.
 */
public interface EnvProvider {

    /** The registry name, such as {@code pusht}. */
    String name();

    EnvSpec spec();

    Env create(EnvConfig config);

    /** A scripted expert driving {@code env}, which this provider created. */
    Expert expert(Env env);
}
