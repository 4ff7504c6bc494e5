/**
 * The service shell: what every FuncPipe node needs before it can run a stage or a job.
 * <ul>
 *   <li>{@link io.funcpipe.service.shell.ServiceConfigLoader} reads the settings
 *       ({@link io.funcpipe.service.shell.ServiceConfig}) from the built-in defaults, an optional
 *       YAML file and {@code FUNCPIPE_*} variables, and names the key, value and source of any bad value;</li>
 *   <li>{@link io.funcpipe.service.shell.ClusterSetup} builds the Vert.x instance, clustered over
 *       Hazelcast when configured, reporting into {@link io.funcpipe.service.shell.ServiceMetrics};</li>
 *   <li>{@link io.funcpipe.service.shell.HttpShell} serves health ({@link io.funcpipe.service.shell.Readiness}),
 *       Prometheus metrics and the job API's event-bus bridge ({@link io.funcpipe.service.shell.JobBridge}).</li>
 * </ul>
 */
package io.funcpipe.service.shell;
