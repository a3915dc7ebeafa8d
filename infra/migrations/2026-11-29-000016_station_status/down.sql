DROP INDEX issues_station_status;
