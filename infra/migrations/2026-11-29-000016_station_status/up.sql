-- A station's list in one state (its replied issues, say) walked the station's issues newest first and dropped the
-- other states: 15,422 buffers a call at a million issues (scripts/bench http). With the state in the index it reads
-- the page in order, as the agency lists do (migration 000014).
CREATE INDEX issues_station_status ON issues (station_id, status, id DESC) WHERE station_id IS NOT NULL;
