/**
 * The typed run API, between the command line and the trainer: a {@link org.myelin.run.RunSpec}
 * (data, network, training settings with their seeds, output files) goes in,
 * {@link org.myelin.run.Runs} trains, resumes or evaluates it, and a
 * {@link org.myelin.run.RunResult} (per-epoch records, final metrics, files written) comes out.
 * {@link org.myelin.run.Codec} is the one reader and writer of specifications, reports,
 * checkpoints and models. Nothing here prints; progress reaches callers through
 * {@link org.myelin.run.Runs.Listener} and diagnostics go to {@link System.Logger}.
 */
package org.myelin.run;
