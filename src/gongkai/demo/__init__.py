"""Made-up data: the demo city 明川市 (`gongkai demo`) and a synthetic province for scale tests
(`gongkai seed-scale`). Never used by the live site; it drives the domain apps through their services, like a
person would, except where it says otherwise (back-dating, bulk rows)."""
