"""Program kerja (issue 17): the plan of each kecamatan for a year, its review by Dinsos, and its realization."""
