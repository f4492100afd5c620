/**
 * The paper's analysis (Mészáros, Knight &amp; Nowotny, §2–3): spatio-temporal receptive fields
 * ({@link org.myelin.analysis.ReceptiveField}), Moran's I with a maximum over random channel orders
 * ({@link org.myelin.analysis.MoransI}), the two-sided Mann–Whitney U test as SciPy 1.10 computes it
 * ({@link org.myelin.analysis.MannWhitney}), headless PNG figures ({@link org.myelin.analysis.Plots})
 * and the whole trained-versus-untrained run ({@link org.myelin.analysis.AnalysisRunner}).
 *
 * <p>Reference values: {@code golden/analysis/*.json}, made by {@code /usr/bin/python3 golden/analysis_ref.py}.
 */
package org.myelin.analysis;
