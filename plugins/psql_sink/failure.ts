/**
 * What psqlSink cannot go on after (no server, a rejected row, a flow whose values do not fit
 * its columns): thrown inside the sink, turned into the run's stop (`ctx.fail`) by its hooks.
 *
 * @module
 */

/** A fatal psqlSink error; the message is printed after `[ERR] psqlSink: `. */
export class PsqlFailure extends Error {
  override name = "PsqlFailure";
}
