// How a stored timestamp appears in the API: an ISO 8601 string where the row holds a Date. Given to drizzle-zod
// as a function of the column's own schema, so a nullable column stays nullable and a required one required.
import { z } from 'zod';

export const isoTimestamp = () => z.iso.datetime();
