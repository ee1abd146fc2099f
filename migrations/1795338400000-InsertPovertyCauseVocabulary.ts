import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reference data: version 1 of the poverty-cause vocabulary (致贫原因), the 12 standard causes. */
export class InsertPovertyCauseVocabulary1795338400000 implements MigrationInterface {
  name = 'InsertPovertyCauseVocabulary1795338400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO "poverty_cause_term" ("vocabulary_version", "code", "name_zh", "name_en") VALUES
        (1, 'illness', '因病', 'illness'),
        (1, 'disability', '因残', 'disability'),
        (1, 'schooling', '因学', 'schooling costs'),
        (1, 'disaster', '因灾', 'natural disaster'),
        (1, 'land', '缺土地', 'lack of land'),
        (1, 'water', '缺水', 'lack of water'),
        (1, 'skills', '缺技术', 'lack of skills'),
        (1, 'labour', '缺劳力', 'lack of labour'),
        (1, 'capital', '缺资金', 'lack of capital'),
        (1, 'transport', '交通条件落后', 'poor transport'),
        (1, 'drive', '自身发展动力不足', 'lack of drive to develop'),
        (1, 'other', '其他', 'other')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "poverty_cause_term" WHERE "vocabulary_version" = 1`);
  }
}
