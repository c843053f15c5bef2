import type { Migration } from '../platform/migrate.js';
import accounts from './0001_accounts.js';
import masterdata from './0002_masterdata.js';
import catalog from './0003_catalog.js';
import downloads from './0004_downloads.js';
import datastore from './0005_datastore.js';
import datastoreReader from './0006_datastore_reader.js';
import datastoreRejections from './0007_datastore_rejections.js';
import quality from './0008_quality.js';
import privacySignoffs from './0009_privacy_signoffs.js';
import qualityCards from './0010_quality_cards.js';
import availabilityProbes from './0011_availability_probes.js';
import exchange from './0012_exchange.js';
import accessRecordKeys from './0013_access_record_keys.js';
import exchangeSeenCalls from './0014_exchange_seen_calls.js';
import exchangeClientCertificates from './0015_exchange_client_certificates.js';
import exchangeKeyRotation from './0016_exchange_key_rotation.js';
import exchangeCaRotation from './0017_exchange_ca_rotation.js';
import accessRecordLogIndex from './0018_access_record_log_index.js';
import accessRecordContexts from './0019_access_record_contexts.js';
import jobPeriods from './0020_job_periods.js';
import exchangeHousekeeping from './0021_exchange_housekeeping.js';
import subjectKeyRotation from './0022_subject_key_rotation.js';
import housekeepingMarks from './0023_housekeeping_marks.js';
import representedParty from './0024_represented_party.js';
import crosswalkCandidates from './0025_crosswalk_candidates.js';
import datastoreCurrent from './0026_datastore_current.js';
import identity from './0027_identity.js';
import unitFormerNames from './0028_unit_former_names.js';
import consents from './0029_consents.js';
import proofWindows from './0030_proof_windows.js';
import subjectRequests from './0031_subject_requests.js';
import personalDataFlags from './0032_personal_data_flags.js';
import searchDataValues from './0033_search_data_values.js';
import usageCounts from './0034_usage_counts.js';
import follow from './0035_follow.js';
import reusesDiscussion from './0036_reuses_discussion.js';
import dataRequests from './0037_data_requests.js';
import dictionaryVersions from './0038_dictionary_versions.js';
import services from './0039_services.js';
import serviceResults from './0040_service_results.js';
import serviceOffers from './0041_service_offers.js';
import sessionIdNumber from './0042_session_id_number.js';

export const MIGRATIONS: Migration[] = [
  { id: '0001_accounts', sql: accounts },
  { id: '0002_masterdata', sql: masterdata },
  { id: '0003_catalog', sql: catalog },
  { id: '0004_downloads', sql: downloads },
  { id: '0005_datastore', sql: datastore },
  { id: '0006_datastore_reader', sql: datastoreReader },
  { id: '0007_datastore_rejections', sql: datastoreRejections },
  { id: '0008_quality', sql: quality },
  { id: '0009_privacy_signoffs', sql: privacySignoffs },
  { id: '0010_quality_cards', sql: qualityCards },
  { id: '0011_availability_probes', sql: availabilityProbes },
  { id: '0012_exchange', sql: exchange },
  { id: '0013_access_record_keys', sql: accessRecordKeys },
  { id: '0014_exchange_seen_calls', sql: exchangeSeenCalls },
  { id: '0015_exchange_client_certificates', sql: exchangeClientCertificates },
  { id: '0016_exchange_key_rotation', sql: exchangeKeyRotation },
  { id: '0017_exchange_ca_rotation', sql: exchangeCaRotation },
  { id: '0018_access_record_log_index', sql: accessRecordLogIndex },
  { id: '0019_access_record_contexts', sql: accessRecordContexts },
  { id: '0020_job_periods', sql: jobPeriods },
  { id: '0021_exchange_housekeeping', sql: exchangeHousekeeping },
  { id: '0022_subject_key_rotation', sql: subjectKeyRotation },
  { id: '0023_housekeeping_marks', sql: housekeepingMarks },
  { id: '0024_represented_party', sql: representedParty },
  { id: '0025_crosswalk_candidates', sql: crosswalkCandidates },
  { id: '0026_datastore_current', sql: datastoreCurrent },
  { id: '0027_identity', sql: identity },
  { id: '0028_unit_former_names', sql: unitFormerNames },
  { id: '0029_consents', sql: consents },
  { id: '0030_proof_windows', sql: proofWindows },
  { id: '0031_subject_requests', sql: subjectRequests },
  { id: '0032_personal_data_flags', sql: personalDataFlags },
  { id: '0033_search_data_values', sql: searchDataValues },
  { id: '0034_usage_counts', sql: usageCounts },
  { id: '0035_follow', sql: follow },
  { id: '0036_reuses_discussion', sql: reusesDiscussion },
  { id: '0037_data_requests', sql: dataRequests },
  { id: '0038_dictionary_versions', sql: dictionaryVersions },
  { id: '0039_services', sql: services },
  { id: '0040_service_results', sql: serviceResults },
  { id: '0041_service_offers', sql: serviceOffers },
  { id: '0042_session_id_number', sql: sessionIdNumber },
];
