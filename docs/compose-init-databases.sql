-- one database per service (ARCHITECTURE.md); used by docker-compose.yml
CREATE DATABASE ehr_ingestion;
CREATE DATABASE ehr_mpi;
CREATE DATABASE ehr_certificates;
CREATE DATABASE ehr_billing;
