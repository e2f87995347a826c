/**
 * Trace module (Order No. 71 Art. 10; the draft traceability measures): EPCIS 2.0 capture and
 * query with event hashes and per-enterprise hash chains; the rare-earth meaning of events
 * (lots, stock, movements, genealogy, shipments and receipts, quota consumption); error
 * declarations; monthly closing with mass balance; locations; alerts.
 */
export { captureDocument, captureXmlDocument, getCaptureJob, listCaptureJobs } from './capture.service.ts';
export { createLocation, listLocations } from './locations.service.ts';
export { listLots, lookupLot, mintLot } from './lots.service.ts';
export { genealogy } from './genealogy.service.ts';
export { closeMonth, closingStatus, declareStocktake, massBalance } from './closings.service.ts';
export { listTraceAlerts } from './alerts.service.ts';
export { verifyEventChains } from './event-chain.ts';
export { periodMassBalance, closingSummaries } from './period-facts.service.ts';
